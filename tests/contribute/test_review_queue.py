"""The admin listing of contributions awaiting review: what it lists, its columns and
order, its filters, and who may see it."""

from datetime import timedelta

import pytest

from django.urls import reverse
from django.utils import timezone

from wagtail.models import TaskState

from cases.models import Theme
from commonground.members.models import MemberProfile
from tests.factories import CaseStudyPageFactory, OrganisationFactory
from tests.helpers import html, text

from .conftest import make_user

pytestmark = pytest.mark.django_db
URL = "/admin/awaiting-review/"


def sent_for_review(contributor, waited: timedelta, **fields):
    """An unpublished contribution whose review started `waited` ago."""
    page = CaseStudyPageFactory(live=False, contributor=contributor, contributed=True, **fields)
    page.save_revision(user=contributor)
    page.get_workflow().start(page, contributor)
    TaskState.objects.filter(workflow_state__object_id=str(page.pk)).update(
        started_at=timezone.now() - waited
    )
    return page


@pytest.fixture
def queue(member, other_member):
    MemberProfile.objects.update_or_create(user=member, defaults={"display_name": "Ana Peeters"})
    ghent = OrganisationFactory(name="Politiezone Gent", country="BE")
    met = OrganisationFactory(name="Metropolitan Police", country="GB")
    older = sent_for_review(
        member,
        timedelta(days=7, hours=1),
        title="Older",
        organisation=ghent,
        country="BE",
        themes=["recruitment"],
    )
    newer = sent_for_review(
        other_member, timedelta(days=3, hours=1), title="Newer", organisation=met, country="GB"
    )
    draft = CaseStudyPageFactory(live=False, title="Only a draft", contributor=member)
    draft.save_revision(user=member)
    CaseStudyPageFactory(title="Already published")
    return {"older": older, "newer": newer}


def newer_contributor(queue):
    return queue["newer"].contributor_id


def rows(soup):
    """[[cell texts]] of the listing's rows."""
    return [[text(td) for td in tr.select("td")] for tr in soup.select("table.listing tbody tr")]


def test_lists_only_contributions_in_review_oldest_first_with_their_details(
    client, queue, moderator
):
    client.force_login(moderator)
    soup = html(client.get(URL))
    listed = rows(soup)
    assert [row[0].split()[0] for row in listed] == ["Older", "Newer"]
    older, newer = listed
    assert older[1:] == ["Ana Peeters", "Politiezone Gent", older[3], "1 week"]
    assert newer[1:3] == ["Member " + str(newer_contributor(queue)), "Metropolitan Police"]
    assert newer[4] == "3 days"
    assert "Only a draft" not in text(soup) and "Already published" not in text(soup)
    # Each title leads to the page's edit view, where the review actions are.
    edit = reverse("wagtailadmin_pages:edit", args=[queue["older"].pk])
    assert soup.select_one(f'table.listing a[href="{edit}"]')


def test_on_a_phone_the_title_says_who_sent_it_and_the_other_columns_can_go(
    client, queue, moderator
):
    """Below 50em the admin's CSS hides the contributor, organisation and submission-time
    columns (so the title is not crushed to a letter a line) and shows who sent the
    contribution, and from where, under its title."""
    client.force_login(moderator)
    soup = html(client.get(URL))
    stylesheets = [link["href"] for link in soup.select("link[rel=stylesheet]")]
    assert any(href.endswith("/css/admin.css") for href in stylesheets)
    narrow = {
        text(th): "awaiting-review__wide" in th.get("class", [])
        for th in soup.select("table.listing thead th")
    }
    assert narrow == {
        "Title 1-2 of 2 case studies": False,
        "Contributor": True,
        "Organisation": True,
        "Submitted": True,
        "Waiting": False,
    }
    first = soup.select_one("table.listing tbody tr")
    assert len(first.select("td.awaiting-review__wide")) == 3
    assert text(first.select_one(".awaiting-review__from")) == "Ana Peeters · Politiezone Gent"


def test_the_contributor_is_named_by_name_never_by_address(client, queue, moderator):
    client.force_login(moderator)
    page = client.get(URL).content.decode()
    assert "Ana Peeters" in page
    assert "ana@example.org" not in page and "ben@example.org" not in page


def test_a_decided_contribution_leaves_the_listing(client, queue, moderator):
    queue["newer"].current_workflow_state.cancel(user=moderator)
    client.force_login(moderator)
    assert [row[0].split()[0] for row in rows(html(client.get(URL)))] == ["Older"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=GB", ["Newer"]),
        ("themes={recruitment}", ["Older"]),
        ("organisation={ghent}", ["Older"]),
        ("ordering=-submitted_at", ["Newer", "Older"]),
    ],
)
def test_filters_and_order(client, queue, moderator, query, expected):
    recruitment = Theme.objects.get(slug="recruitment").pk
    query = query.format(recruitment=recruitment, ghent=queue["older"].organisation_id)
    client.force_login(moderator)
    assert [row[0].split()[0] for row in rows(html(client.get(f"{URL}?{query}")))] == expected


def test_moderators_and_superusers_see_it_in_the_menu(client, queue, moderator, admin_user):
    for user in (moderator, admin_user):
        client.force_login(user)
        assert client.get(URL).status_code == 200
        assert URL in client.get("/admin/").content.decode()


def test_other_staff_and_members_cannot_see_it(client, queue, member):
    editor = make_user("ed@example.org", is_staff=True)
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(URL).status_code in (302, 403)
    assert URL not in client.get("/admin/").content.decode()
    client.force_login(member)
    assert client.get(URL).status_code in (302, 403)


def test_an_empty_listing_says_nothing_is_waiting(client, queue, moderator):
    client.force_login(moderator)
    assert "Nothing is awaiting review" not in client.get(URL).content.decode()
    for page in queue.values():
        page.current_workflow_state.cancel(user=moderator)
    assert "Nothing is awaiting review" in client.get(URL).content.decode()


def test_a_very_long_name_is_cut_so_the_titles_keep_their_column(client, queue, moderator):
    long_name = "W" * 100
    MemberProfile.objects.filter(user=queue["older"].contributor).update(display_name=long_name)
    client.force_login(moderator)
    older = rows(html(client.get(URL)))[0]
    assert older[1] == "W" * 59 + "…"
