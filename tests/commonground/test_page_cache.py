"""Anonymous pages from the cache (commonground/page_cache): what is kept, what never is,
and that no change to what a page shows outlives the next request."""

import pytest
from csp.constants import NONCE

from django.contrib.messages import add_message, constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page

from cases.cache import current_library_version
from cases.models import CaseStudyPage, EventIndexPage, Organisation, Replication, Theme
from cases.organisations import merge_organisations
from cases.replications.rules import decide
from commonground.analytics.models import CaseViewCount, SearchCount
from commonground.discussion.models import Post
from commonground.discussion.rules import review
from commonground.models import HomePage, StandardPage
from commonground.page_cache.invalidation import NEVER_SHOWN
from commonground.page_cache.middleware import PageCache
from tests.factories import EventPageFactory, ImageFactory, OrganisationFactory
from tests.search.conftest import meaning  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


@pytest.fixture
def visitor(client):
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    return client


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("reader", "reader@example.org", "pw")


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def served_twice(client, url) -> str:
    """The page, asked for twice: the second answer came from the cache (same ETag)."""
    first = client.get(url)
    second = client.get(url)
    assert second["ETag"] == first["ETag"], "the page was not kept"
    return body(second)


# Kept and served --------------------------------------------------------------------------


def test_a_kept_page_is_served_without_running_the_view(visitor, make_case):
    make_case(title="Night-shift live tweets")
    stored = body(visitor.get("/"))
    with CaptureQueriesContext(connection) as context:
        served = visitor.get("/")
    assert body(served) == stored
    statements = [q["sql"] for q in context.captured_queries]
    assert len(statements) == 1 and "cases_libraryversion" in statements[0], statements


def test_kept_pages_carry_validators_and_answer_conditional_requests(visitor, make_case):
    case = make_case(title="Night-shift live tweets")
    first = visitor.get(case.url)
    assert first["Cache-Control"] == "max-age=0, must-revalidate"
    assert first["ETag"] and first["Last-Modified"]
    assert visitor.get(case.url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    modified = visitor.get(case.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert modified.status_code == 304
    assert visitor.get(case.url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_shared_max_age_is_offered_to_a_cdn_when_set(visitor, settings):
    settings.PAGE_CACHE_SHARED_MAX_AGE = 120
    cache_control = visitor.get("/")["Cache-Control"]
    assert set(cache_control.split(", ")) == {"max-age=0", "must-revalidate", "s-maxage=120"}


def test_each_language_has_its_own_page(visitor):
    dutch = visitor.get("/", HTTP_ACCEPT_LANGUAGE="nl")
    english = visitor.get("/", HTTP_ACCEPT_LANGUAGE="en")
    dutch_again = visitor.get("/", HTTP_ACCEPT_LANGUAGE="nl")
    assert '<html lang="nl"' in body(dutch) and '<html lang="nl"' in body(dutch_again)
    assert '<html lang="en' in body(english)
    assert dutch_again["ETag"] == dutch["ETag"] != english["ETag"]


def test_the_policy_of_a_kept_page_has_no_nonce(visitor, settings, make_case):
    """A nonce in a kept page would be every visitor's: the policy must stay nonce-free
    while pages are kept (settings CONTENT_SECURITY_POLICY, docs/deployment.md)."""
    assert settings.PAGE_CACHE_ENABLED
    for sources in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].values():
        assert NONCE not in sources
    case = make_case(title="Night-shift live tweets")
    for url in ("/", case.url, "/cases/", "/search/?q=tweets"):
        served_twice(visitor, url)
        policy = visitor.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "nonce-" not in policy


# Never kept ------------------------------------------------------------------------------


def test_members_pages_are_never_kept_and_never_leak(client, visitor, member, make_case):
    case = make_case(title="Night-shift live tweets")
    client.force_login(member)
    for url in ("/cases/", case.url, "/themes/engagement-and-content/"):
        first, second = client.get(url), client.get(url)
        assert "Sign out" in body(first) and "Sign out" in body(second)
        assert "private" in second["Cache-Control"] and not second.has_header("ETag")
    assert "follow__form" in body(client.get("/themes/engagement-and-content/"))
    client.logout()
    client.cookies.clear()
    for url in ("/cases/", case.url, "/themes/engagement-and-content/"):
        page = served_twice(visitor, url)
        assert "Sign out" not in page and "Sign in" in page
        assert "card-save" not in page and "case-save__row" not in page
        assert "csrfmiddlewaretoken" not in page
        assert "follow__form" not in page
    assert "Sign in to get new cases by e-mail." in body(
        visitor.get("/themes/engagement-and-content/")
    )


def test_a_request_with_a_session_or_a_message_is_answered_by_the_view(visitor, settings):
    served_twice(visitor, "/")
    for cookie in (settings.SESSION_COOKIE_NAME, "messages"):
        visitor.cookies[cookie] = "anything"
        with CaptureQueriesContext(connection) as context:
            response = visitor.get("/")
        assert len(context.captured_queries) > 1 and not response.has_header("ETag")
        del visitor.cookies[cookie]


def _fresh_request(path="/themes/", **cookies):
    request = RequestFactory(HTTP_USER_AGENT=BROWSER).get(path)
    request.COOKIES.update(cookies)
    request.session = SessionStore()
    request._messages = CookieStorage(request)
    return request


def _with_csrf(request):
    get_token(request)
    return HttpResponse("form")


def _with_message(request):
    add_message(request, constants.INFO, "Saved")
    return HttpResponse("notice")


def _with_session(request):
    request.session["seen"] = True
    return HttpResponse("remembered")


def _with_cookie(request):
    response = HttpResponse("cookie")
    response.set_cookie("chosen", "1")
    return response


def _with_nonce(request):
    request._csp_nonce = "abc"
    return HttpResponse("<script nonce=abc></script>")


NOT_KEPT = {
    "csrf token": _with_csrf,
    "message": _with_message,
    "session written": _with_session,
    "cookie set": _with_cookie,
    "nonce used": _with_nonce,
    "not found": lambda request: HttpResponse("gone", status=404),
    "redirect": lambda request: HttpResponse(status=302, headers={"Location": "/"}),
    "streamed": lambda request: StreamingHttpResponse(iter([b"a", b"b"])),
    "private": lambda request: HttpResponse("x", headers={"Cache-Control": "private"}),
    "no-store": lambda request: HttpResponse("x", headers={"Cache-Control": "no-store"}),
    "no-cache": lambda request: HttpResponse("x", headers={"Cache-Control": "no-cache"}),
}


@pytest.mark.parametrize("kind", list(NOT_KEPT))
def test_a_response_made_for_one_visitor_is_never_kept(kind):
    calls = []

    def view(request):
        calls.append(request)
        return NOT_KEPT[kind](request)

    middleware = PageCache(view)
    middleware(_fresh_request())
    middleware(_fresh_request())
    assert len(calls) == 2


def test_a_plain_response_is_kept_by_the_same_middleware():
    """The control for the test above: the same requests, an ordinary page."""
    calls = []

    def view(request):
        calls.append(request)
        return HttpResponse("the same for everyone")

    middleware = PageCache(view)
    first, second = middleware(_fresh_request()), middleware(_fresh_request())
    assert len(calls) == 1 and second.content == first.content == b"the same for everyone"


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/contribute/", "/admin/", "/lists/shared/abc/", "/health/"]
)
def test_member_and_staff_paths_are_never_kept(path):
    calls = []

    def view(request):
        calls.append(request)
        return HttpResponse("x")

    middleware = PageCache(view)
    middleware(_fresh_request(path))
    middleware(_fresh_request(path))
    assert len(calls) == 2


# Counting ----------------------------------------------------------------------------------


def test_views_and_searches_served_from_the_cache_are_counted(visitor, make_case):
    case = make_case(title="Night-shift live tweets")
    visitor.head(case.url)  # kept, not counted: the GETs that follow are
    for _ in range(3):
        body(visitor.get(case.url))
    visitor.get(case.url, HTTP_IF_NONE_MATCH=visitor.get(case.url)["ETag"])
    assert CaseViewCount.objects.get(page=case).views == 5
    for _ in range(2):
        body(visitor.get("/api/search/?q=tweets"))
    assert SearchCount.objects.get(query="tweets").searches == 2


def test_reading_pages_and_signing_in_leave_the_version_alone(
    visitor, make_case, django_user_model
):
    """A view that writes (a rendition, an embed, a counter, a promotion query row) must not
    move the version, or the cache would never warm; nor must a sign-up or a sign-in."""
    case = make_case(title="Night-shift live tweets", hero_image=ImageFactory(), hero_alt="x")
    before = current_library_version()
    for url in ("/", "/cases/", case.url, "/search/?q=tweets", "/api/search/?q=tweets"):
        body(visitor.get(url))
    assert current_library_version() == before
    django_user_model.objects.create_user("newcomer", "newcomer@example.org", "pw")
    other = Client(HTTP_USER_AGENT=BROWSER)
    assert other.login(username="newcomer", password="pw")
    assert "Sign out" in body(other.get("/"))
    assert current_library_version() == before
    assert visitor.get(case.url)["ETag"] == visitor.get(case.url)["ETag"]


def test_every_model_left_out_of_invalidation_exists():
    """A misspelt label would leave its model invalidating (safe, but never meant)."""
    from django.apps import apps

    installed = {model._meta.label for model in apps.get_models()}
    sqlite_only = {"wagtailsearch.SQLiteFTSIndexEntry"}  # Wagtail's FTS5 index on SQLite
    expected = NEVER_SHOWN if connection.vendor == "sqlite" else NEVER_SHOWN - sqlite_only
    assert expected - installed == set()


# Never stale -------------------------------------------------------------------------------


def published(page):
    page.save_revision().publish()


def test_a_new_case_appears_in_the_library(visitor, make_case):
    assert "Night-shift live tweets" not in served_twice(visitor, "/cases/")
    make_case(title="Night-shift live tweets")
    assert "Night-shift live tweets" in body(visitor.get("/cases/"))


def test_an_edited_case_shows_its_new_text(visitor, make_case):
    case = make_case(title="Night-shift live tweets")
    assert "Night-shift live tweets" in served_twice(visitor, case.url)
    case.title = "Day-shift live tweets"
    published(case)
    assert "Day-shift live tweets" in body(visitor.get(case.url))


def test_unpublished_and_deleted_cases_go(visitor, make_case):
    first, second = make_case(title="First case"), make_case(title="Second case")
    served_twice(visitor, first.url)
    served_twice(visitor, second.url)
    listing = served_twice(visitor, "/cases/")
    assert "First case" in listing and "Second case" in listing
    first.unpublish()
    assert visitor.get(first.url).status_code == 404
    CaseStudyPage.objects.get(pk=second.pk).delete()
    assert visitor.get(second.url).status_code == 404
    listing = body(visitor.get("/cases/"))
    assert "First case" not in listing and "Second case" not in listing


def test_a_moved_page_leaves_its_old_address(visitor):
    about = StandardPage.objects.get(slug="about")
    old = about.url
    served_twice(visitor, old)
    Page.objects.get(pk=about.pk).move(EventIndexPage.objects.get(), pos="last-child")
    new = StandardPage.objects.get(pk=about.pk).url
    assert new != old
    moved = visitor.get(old)  # Wagtail's automatic redirect, not the kept page
    assert moved.status_code == 301 and moved["Location"].endswith(new)
    assert visitor.get(new).status_code == 200


def test_theme_names_and_descriptions_show_at_once(visitor, make_case):
    make_case(title="Night-shift live tweets", themes=["recruitment"])
    url = "/themes/recruitment/"
    served_twice(visitor, url)
    theme = Theme.objects.get(slug="recruitment")
    theme.description = "Finding tomorrow's officers where they read."
    theme.save()
    assert "Finding tomorrow&#x27;s officers where they read." in body(visitor.get(url))
    theme.name = "Hiring"
    theme.save()
    assert "Hiring" in body(visitor.get(url))


def test_renamed_and_merged_organisations_show_at_once(visitor, make_case, admin_user):
    kept = OrganisationFactory(name="Kent Police", slug="kent-police")
    duplicate = OrganisationFactory(name="Kent Constabulary", slug="kent-constabulary")
    make_case(title="First case", organisation=kept)
    make_case(title="Second case", organisation=duplicate)
    url = "/organisations/kent-police/"
    assert "Second case" not in served_twice(visitor, url)
    kept.name = "Kent Police Service"
    kept.save()
    assert "Kent Police Service" in body(visitor.get(url))
    merge_organisations(Organisation.objects.get(pk=kept.pk), [duplicate], admin_user)
    assert "Second case" in body(visitor.get(url))


def test_an_approved_replication_shows_on_the_case(visitor, make_case, member, admin_user):
    case = make_case(title="Night-shift live tweets")
    replication = Replication.objects.create(
        page=case,
        member=member,
        organisation_name="Politiezone Gent",
        country="BE",
        tried_on="2023-04-01",
        tried_precision="month",
        changes="Two officers instead of one.",
        result="worked",
        evidence="monitored",
    )
    assert "Politiezone Gent" not in served_twice(visitor, case.url)
    decide(replication, Replication.Status.APPROVED, admin_user)
    assert "Politiezone Gent" in body(visitor.get(case.url))


def test_a_published_question_shows_on_the_case(visitor, make_case, member):
    case = make_case(title="Night-shift live tweets")
    post = Post.objects.create(case=case, author=member, body="Which tool scheduled them?")
    assert "Which tool scheduled them?" not in served_twice(visitor, case.url)
    review(post, approve=True)
    assert "Which tool scheduled them?" in body(visitor.get(case.url))


def test_event_and_home_page_edits_show_at_once(visitor):
    event = EventPageFactory(title="Smile conference")
    assert "Smile conference" in served_twice(visitor, event.url)
    event.title = "Smile summit"
    published(event)
    assert "Smile summit" in body(visitor.get(event.url))

    home = HomePage.objects.get()
    served_twice(visitor, "/")
    home.intro = "<p>Lessons from police teams everywhere.</p>"
    published(home)
    assert "Lessons from police teams everywhere." in body(visitor.get("/"))


def test_a_promotion_reorders_the_search_at_once(visitor, make_case):
    make_case(title="Radio appeal for witnesses")
    later = make_case(title="Radio phone-in with the chief")
    url = "/api/search/?q=radio"
    served_twice(visitor, url)
    SearchPromotion.objects.create(query=Query.get("radio"), page=later, sort_order=0)
    hits = visitor.get(url).json()["results"]
    assert hits[0]["title"] == "Radio phone-in with the chief" and hits[0]["promoted"]


def test_pages_go_out_when_the_page_cache_fails(visitor, monkeypatch, caplog):
    """The page cache's own reads and writes failing (its server down) never fail a page."""
    from commonground.page_cache import middleware

    class Down:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache server down")

        set = get

    monkeypatch.setattr(middleware, "cache", Down())
    assert "<html" in body(visitor.get("/"))
    assert "Could not read a page from the cache" in caplog.text
    assert "Could not keep a page in the cache" in caplog.text


def test_search_pages_follow_new_vectors(visitor, make_case, meaning):  # noqa: F811
    """New vectors change what a question finds by meaning without a change to any case: a
    kept search answer is keyed by the newest embedding batch as well."""
    from search.embed import embed_pending

    make_case(title="Radio appeal for witnesses")
    embed_pending(meaning)
    url = "/api/search/?q=radio+appeal"

    def queries():
        with CaptureQueriesContext(connection) as context:
            body(visitor.get(url, HTTP_USER_AGENT="monitor"))  # not counted: no write
        return len(context.captured_queries)

    queries()
    assert queries() == 2  # the library version and the newest batch
    before = current_library_version()
    make_case(title="Radio phone-in with the chief")  # published: a new version
    embed_pending(meaning)  # its vectors, a new batch, in the background
    queries()
    assert queries() == 2
    assert current_library_version() != before
    version = current_library_version()
    from search.models import CaseVector

    # The model re-embeds the cases (a new batch); no case changed, no version moved.
    CaseVector.objects.update(batch=CaseVector.objects.newest_batch() + 1)
    assert current_library_version() == version
    assert queries() > 2  # answered afresh
    assert queries() == 2
