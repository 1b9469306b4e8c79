"""Reading lists: saving from cards and case pages, the member's lists, privacy (404 for
anybody else's list), sharing by link, exports, limits and the cards' saved marker."""

import csv
import io
import json

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.reading_lists.lists import default_list
from commonground.reading_lists.models import ReadingList, ReadingListItem
from tests.helpers import html, import_cases, text
from tests.members.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    return make_member()


@pytest.fixture
def other(db):
    return make_member(email="sam@example.org", display_name="Sam Other")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def case(make_case):
    return make_case(title="Night-time patrol tweets", themes=["recruitment"])


def save(client, case, **data):
    return client.post(reverse("reading_lists:save", args=[case.pk]), data)


def named_list(owner, name, *cases, **fields):
    reading_list = ReadingList.objects.create(owner=owner, name=name, **fields)
    for case in cases:
        ReadingListItem.objects.create(reading_list=reading_list, case=case)
    return reading_list


# Saving


def test_save_from_a_card_puts_the_case_in_saved_and_returns_to_the_page(member_client, case):
    response = save(member_client, case, next="/themes/recruitment/?page=1")
    assert response.status_code == 302
    assert response["Location"] == "/themes/recruitment/?page=1"
    saved = ReadingList.objects.get(is_default=True)
    assert list(saved.cases.all()) == [case]
    assert "Saved to “Saved”." in [str(m) for m in response.wsgi_request._messages]


def test_save_refuses_to_send_the_member_to_another_site(member_client, case):
    response = save(member_client, case, next="https://evil.example/")
    assert response["Location"] == case.url


def test_a_visitor_is_sent_to_sign_in_and_back(client, case):
    response = save(client, case, next="/cases/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/cases/"
    assert not ReadingListItem.objects.exists()


def test_a_draft_cannot_be_saved(member_client, make_case):
    draft = make_case(live=False)
    assert save(member_client, draft).status_code == 404


def test_saving_twice_keeps_one_entry(member_client, case):
    save(member_client, case)
    save(member_client, case)
    assert ReadingListItem.objects.count() == 1


def test_a_case_goes_into_several_lists(member_client, member, case):
    training = named_list(member, "Training")
    save(member_client, case)
    save(member_client, case, list=training.pk)
    assert {item.reading_list.display_name for item in ReadingListItem.objects.all()} == {
        "Saved",
        "Training",
    }


def test_saving_into_another_members_list_is_not_found(member_client, other, case):
    theirs = named_list(other, "Theirs")
    assert save(member_client, case, list=theirs.pk).status_code == 404
    assert not theirs.items.exists()


def test_a_list_number_no_list_can_have_is_not_found(member_client, case):
    for number in ("9" * 30, "9" * 5000, "٣"):
        assert save(member_client, case, list=number).status_code == 404


def test_unsave_takes_the_case_out_of_every_list(member_client, member, other, case):
    named_list(member, "Training", case)
    save(member_client, case)
    named_list(other, "Theirs", case)
    response = member_client.post(reverse("reading_lists:unsave", args=[case.pk]))
    assert response.status_code == 302
    assert list(ReadingListItem.objects.values_list("reading_list__owner", flat=True)) == [
        other.pk
    ]


def test_save_needs_post(member_client, case):
    assert member_client.get(reverse("reading_lists:save", args=[case.pk])).status_code == 405


# The case page


def test_case_page_offers_save_then_shows_the_lists_holding_it(member_client, member, case):
    named_list(member, "Training")
    page = html(member_client.get(case.url))
    form = page.select_one(f"form[action='{reverse('reading_lists:save', args=[case.pk])}']")
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    assert form.select_one("input[name=next]")["value"] == case.url
    save(member_client, case)
    page = html(member_client.get(case.url))
    assert "Saved ✓" in text(page.select_one(".case-save"))
    assert [text(o) for o in page.select("#save-to-list option")] == ["Training"]


def test_case_page_asks_a_visitor_to_sign_in(client, case):
    link = html(client.get(case.url)).select_one(".case-save a")
    assert link["href"] == f"{reverse('account_login')}?next={case.url}"


# Cards and their marker


def test_cards_show_the_saved_marker_to_the_member_only(client, member, case, make_case):
    other_case = make_case(title="Another case", themes=["recruitment"])
    default_list(member).items.create(case=case)
    anonymous = html(client.get("/themes/recruitment/"))
    assert not anonymous.select(".card-save")
    client.force_login(member)
    cards = {
        text(card.select_one(".case-card__title")): card
        for card in html(client.get("/themes/recruitment/")).select(".case-card")
    }
    assert "Saved ✓" in text(cards[case.title].select_one(".card-save"))
    assert "Saved ✓" not in text(cards[other_case.title].select_one(".card-save"))
    assert cards[other_case.title].select_one(
        f"form[action='{reverse('reading_lists:save', args=[other_case.pk])}']"
    )


def page_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        soup = html(client.get(url))
    return len(context.captured_queries), soup


def test_the_saved_marker_costs_one_query_however_many_cards(member_client, member):
    saved = default_list(member)
    cases = import_cases(3, themes=["recruitment"])
    for case in cases:
        saved.items.create(case=case)
    few, soup = page_queries(member_client, "/themes/recruitment/")
    assert len(soup.select(".card-save__saved")) == 3
    for case in import_cases(15, start=3, themes=["recruitment"]):
        saved.items.create(case=case)
    many, soup = page_queries(member_client, "/themes/recruitment/")
    assert len(soup.select(".card-save__saved")) == 18
    assert many == few


def test_anonymous_pages_do_not_read_lists(client, case):
    default_list(make_member(email="x@example.org")).items.create(case=case)
    with CaptureQueriesContext(connection) as context:
        client.get("/themes/recruitment/")
    assert not [q for q in context.captured_queries if "reading_lists" in q["sql"]]


# The member's lists


def test_lists_page_shows_saved_and_creates_a_named_list(member_client, member):
    page = html(member_client.get(reverse("reading_lists:index")))
    assert [text(a) for a in page.select(".reading-lists__name")] == ["Saved"]
    response = member_client.post(reverse("reading_lists:index"), {"name": "  Crisis\nreading "})
    created = ReadingList.objects.get(is_default=False)
    assert created.name == "Crisis reading"
    assert response["Location"] == reverse("reading_lists:detail", args=[created.pk])


def test_account_nav_links_to_the_lists(member_client):
    page = html(member_client.get(reverse("account_profile")))
    assert page.select_one(f".account-nav a[href='{reverse('reading_lists:index')}']")


def test_list_names_are_unique_for_the_member(member_client, member, other):
    named_list(member, "Training")
    named_list(other, "Mine")
    response = member_client.post(reverse("reading_lists:index"), {"name": "training"})
    assert response.status_code == 200
    assert "You already have a list with this name." in response.content.decode()
    member_client.post(reverse("reading_lists:index"), {"name": "Mine"})
    assert ReadingList.objects.filter(owner=member, name="Mine").exists()


def test_names_are_escaped(member_client, member, case):
    reading_list = named_list(member, "<script>alert(1)</script>", case, share_token="tok")
    for url in (
        reverse("reading_lists:index"),
        reverse("reading_lists:detail", args=[reading_list.pk]),
        reverse("reading_lists:shared", args=["tok"]),
    ):
        body = member_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_list_page_shows_live_cases_and_removes_one(member_client, member, case, make_case):
    draft = make_case(title="Draft case", live=False)
    reading_list = named_list(member, "Training", case, draft)
    url = reverse("reading_lists:detail", args=[reading_list.pk])
    page = html(member_client.get(url))
    assert [text(a) for a in page.select(".case-card__title a")] == [case.title]
    remove_url = reverse("reading_lists:remove", args=[reading_list.pk, case.pk])
    assert page.select_one(f".case-card form[action='{remove_url}']")
    member_client.post(remove_url, {"next": url})
    assert list(reading_list.items.values_list("case_id", flat=True)) == [draft.pk]


def test_rename_and_delete_with_confirmation(member_client, member, case):
    reading_list = named_list(member, "Training", case)
    url = reverse("reading_lists:detail", args=[reading_list.pk])
    member_client.post(url, {"name": "Induction"})
    reading_list.refresh_from_db()
    assert reading_list.name == "Induction"
    delete_url = reverse("reading_lists:delete", args=[reading_list.pk])
    confirm = html(member_client.get(delete_url))
    assert "Delete “Induction”?" in text(confirm.select_one("h1"))
    assert ReadingList.objects.filter(pk=reading_list.pk).exists()
    member_client.post(delete_url)
    assert not ReadingList.objects.filter(pk=reading_list.pk).exists()
    assert case.__class__.objects.filter(pk=case.pk).exists()


def test_saved_can_be_neither_renamed_nor_deleted(member_client, member):
    saved = default_list(member)
    assert member_client.post(reverse("reading_lists:delete", args=[saved.pk])).status_code == 404
    url = reverse("reading_lists:detail", args=[saved.pk])
    assert member_client.post(url, {"name": "Other"}).status_code == 404


@pytest.mark.parametrize(
    "name, method, data",
    [
        ("detail", "get", {}),
        ("detail", "post", {"name": "Mine now"}),
        ("delete", "get", {}),
        ("delete", "post", {}),
        ("share", "post", {"share": "on"}),
        ("export_csv", "get", {}),
    ],
)
def test_another_members_list_is_not_found(member_client, other, case, name, method, data):
    theirs = named_list(other, "Theirs", case)
    args = [theirs.pk]
    if name == "export_csv":
        name, args = "export", [theirs.pk, "csv"]
    response = getattr(member_client, method)(reverse(f"reading_lists:{name}", args=args), data)
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs" and theirs.share_token is None


def test_removing_from_another_members_list_is_not_found(member_client, other, case):
    theirs = named_list(other, "Theirs", case)
    url = reverse("reading_lists:remove", args=[theirs.pk, case.pk])
    assert member_client.post(url).status_code == 404
    assert theirs.items.exists()


def test_another_members_lists_are_not_listed(member_client, other):
    named_list(other, "Their secret list")
    assert (
        "Their secret list"
        not in member_client.get(reverse("reading_lists:index")).content.decode()
    )


def test_lists_need_signing_in(client, member):
    reading_list = named_list(member, "Training")
    for url in (
        reverse("reading_lists:index"),
        reverse("reading_lists:detail", args=[reading_list.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# Limits


def test_lists_per_member_are_limited(member_client, member, monkeypatch):
    monkeypatch.setattr("commonground.reading_lists.lists.MAX_LISTS", 2)
    default_list(member)
    named_list(member, "One")
    response = member_client.post(reverse("reading_lists:index"), {"name": "Two"})
    assert "You have 2 lists, the most a member can have." in response.content.decode()
    assert ReadingList.objects.filter(owner=member).count() == 2


def test_cases_per_list_are_limited(member_client, member, case, make_case, monkeypatch):
    monkeypatch.setattr("commonground.reading_lists.lists.MAX_CASES", 2)
    named_list(member, "Full", make_case(), make_case())
    full = ReadingList.objects.get(name="Full")
    response = save(member_client, case, list=full.pk)
    assert "“Full” holds 2 cases, the most a list can hold. Remove one first." in [
        str(m) for m in response.wsgi_request._messages
    ]
    assert full.items.count() == 2


# Sharing


def test_sharing_gives_an_unguessable_link_that_a_new_link_revokes(member_client, member):
    reading_list = named_list(member, "Training")
    share_url = reverse("reading_lists:share", args=[reading_list.pk])
    member_client.post(share_url, {"share": "on"})
    reading_list.refresh_from_db()
    first = reading_list.share_token
    assert len(first) >= 40
    member_client.post(share_url, {"share": "on"})
    reading_list.refresh_from_db()
    assert reading_list.share_token != first
    assert member_client.get(reverse("reading_lists:shared", args=[first])).status_code == 404
    member_client.post(share_url, {"share": "off"})
    reading_list.refresh_from_db()
    assert reading_list.share_token is None


def test_shared_list_reads_without_signing_in(client, member, case, make_case):
    draft = make_case(title="A draft nobody may see", live=False)
    private = make_case(title="A private case")
    private.view_restrictions.create(restriction_type="login")
    named_list(member, "Induction reading", case, draft, private, share_token="abc")
    response = client.get(reverse("reading_lists:shared", args=["abc"]))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = html(response)
    assert page.select_one("meta[name=robots]")["content"] == "noindex, nofollow"
    assert text(page.select_one("h1")) == "Induction reading"
    assert [text(a) for a in page.select(".case-card__title a")] == [case.title]
    body = response.content.decode()
    assert member.email not in body and "Jane Doe" not in body
    assert not page.select(".card-save")


def test_an_unshared_list_has_no_link(client, member):
    named_list(member, "Training")
    assert client.get(reverse("reading_lists:shared", args=["None"])).status_code == 404


# Export


def test_export_is_the_interchange_of_the_lists_live_cases(member_client, member, case, make_case):
    draft = make_case(title="Draft", live=False)
    reading_list = named_list(member, "Training", case, draft)
    response = member_client.get(reverse("reading_lists:export", args=[reading_list.pk, "jsonl"]))
    records = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [r["title"] for r in records] == [case.title]
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="common-ground-reading-list.jsonl"'
    )
    response = member_client.get(reverse("reading_lists:export", args=[reading_list.pk, "csv"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["title"] for row in rows] == [case.title]
    assert rows[0]["url"].endswith(case.url)
    assert (
        member_client.get(
            reverse("reading_lists:export", args=[reading_list.pk, "xml"])
        ).status_code
        == 404
    )


def test_the_data_download_holds_the_members_lists(member_client, member, other, case):
    named_list(member, "Training", case, share_token="tok")
    named_list(other, "Theirs", case)
    data = json.loads(member_client.get(reverse("account_data")).content)
    assert [(item["name"], item["shared_by_link"]) for item in data["reading_lists"]] == [
        ("Training", True)
    ]
    assert data["reading_lists"][0]["cases"][0]["title"] == case.title
    assert data["reading_lists"][0]["cases"][0]["url"].endswith(case.url)


# Search hits: the same save control and marker as the cards


def test_search_hits_offer_save_and_show_the_saved_marker(client, member, case, make_case):
    other_case = make_case(title="Night-time patrol videos", themes=["recruitment"])
    default_list(member).items.create(case=case)
    anonymous = html(client.get("/search/", {"q": "night-time patrol"}))
    assert len(anonymous.select(".hit")) == 2 and not anonymous.select(".card-save")
    client.force_login(member)

    def hits(url="/search/?q=night-time+patrol"):
        return {
            hit.select_one(".hit__title a")["href"]: hit
            for hit in html(client.get(url)).select(".hit")
        }

    found = hits()
    assert "Saved ✓" in text(found[case.url].select_one(".card-save"))
    assert found[case.url].select_one(
        f"form[action='{reverse('reading_lists:unsave', args=[case.pk])}']"
    )
    save_form = found[other_case.url].select_one(
        f"form[action='{reverse('reading_lists:save', args=[other_case.pk])}']"
    )
    assert "Saved ✓" not in text(found[other_case.url])
    # Without JavaScript: the form posts, and comes back to the same search.
    back = save_form.select_one("input[name=next]")["value"]
    assert back.startswith("/search/?q=night-time")
    response = client.post(save_form["action"], {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert "Saved ✓" in text(hits(back)[other_case.url].select_one(".card-save"))
    assert default_list(member).items.filter(case=other_case).exists()


def test_the_saved_marker_on_search_hits_costs_one_query_however_many_hits(member_client, member):
    saved = default_list(member)
    for case in import_cases(2, title="Harbour patrol case"):
        saved.items.create(case=case)
    few, soup = page_queries(member_client, "/search/?q=harbour")
    assert len(soup.select(".hit .card-save__saved")) == 2
    for case in import_cases(12, start=2, title="Harbour patrol case"):
        saved.items.create(case=case)
    many, soup = page_queries(member_client, "/search/?q=harbour")
    assert len(soup.select(".hit .card-save__saved")) == 14
    assert many == few
