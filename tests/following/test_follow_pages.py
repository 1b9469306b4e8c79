"""The Follow and Alert me buttons, /accounts/following/ and its permissions."""

import pytest

from django.urls import reverse

from commonground.following.models import DigestSettings, Follow
from tests.following.conftest import follow
from tests.helpers import html, query_of, text

FOLLOW = reverse("following:follow")
MINE = reverse("following:mine")


@pytest.fixture
def theme_url():
    return reverse("cases:theme", args=["crisis-communication"])


def post_follow(client, kind, value, next_url):
    return client.post(FOLLOW, {"kind": kind, "value": value, "next": next_url})


def test_a_member_follows_a_theme_from_its_page_and_stays_there(member_client, member, theme_url):
    page = html(member_client.get(theme_url))
    form = page.select_one(".follow form")
    assert form["method"] == "post" and form["action"] == FOLLOW
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    fields = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert (fields["kind"], fields["value"], fields["next"]) == (
        "theme",
        "crisis-communication",
        theme_url,
    )

    response = post_follow(member_client, "theme", "crisis-communication", theme_url)

    assert response.status_code == 302 and response.url == theme_url
    assert Follow.objects.get(user=member).theme.slug == "crisis-communication"
    page = html(member_client.get(theme_url))
    assert "You now follow “Crisis communication”." in text(page.select_one(".messages"))
    assert text(page.select_one(".follow button")) == "Stop following"


@pytest.mark.parametrize(
    ("kind", "value", "url_name", "arg"),
    [("country", "au", "cases:country", "AU"), ("organisation", None, "cases:organisation", None)],
)
def test_countries_and_organisations_are_followed_from_their_pages(
    member_client, member, make_case, kind, value, url_name, arg
):
    case = make_case(country="AU")
    value = value or case.organisation.slug
    url = reverse(url_name, args=[arg or value])
    assert html(member_client.get(url)).select_one(f".follow input[name=kind][value={kind}]")
    post_follow(member_client, kind, value, url)
    made = Follow.objects.get(user=member)
    assert made.kind == kind
    assert made.key == (
        "country:AU" if kind == "country" else f"organisation:{case.organisation_id}"
    )


def test_alert_me_follows_the_search_normalised(member_client, member):
    url = reverse("search:page") + "?country=NL&q=crisis&sort=newest&country=AU&page=2"
    form = html(member_client.get(url)).select_one(".follow form")
    value = form.select_one("input[name=value]")["value"]
    assert value == "q=crisis&country=AU&country=NL"
    member_client.post(FOLLOW, {"kind": "search", "value": value, "next": url})
    # The same search in another order, sorted otherwise, is the same follow.
    post_follow(member_client, "search", "country=AU&country=NL&q=crisis&sort=relevance", url)
    assert list(Follow.objects.filter(user=member).values_list("value", flat=True)) == [
        "q=crisis&country=AU&country=NL"
    ]
    assert "Stop alerts" in text(html(member_client.get(url)).select_one(".follow"))


def test_an_empty_search_has_no_alert_button(member_client):
    assert not html(member_client.get(reverse("search:page"))).select(".follow")


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client, theme_url, db):
    link = html(client.get(theme_url)).select_one(".follow a.button")["href"]
    assert link.startswith(reverse("account_login") + "?")
    assert query_of(link) == {"next": [theme_url]}
    response = post_follow(client, "theme", "crisis-communication", theme_url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?")
    assert query_of(response.url) == {"next": [theme_url]}
    assert not Follow.objects.exists()


def test_next_must_be_on_this_site(member_client):
    response = post_follow(member_client, "theme", "crisis-communication", "https://evil.example/")
    assert response.url == MINE


def test_following_twice_is_one_follow(member_client, member, theme_url):
    post_follow(member_client, "theme", "crisis-communication", theme_url)
    post_follow(member_client, "theme", "crisis-communication", theme_url)
    assert Follow.objects.filter(user=member).count() == 1
    assert "You already follow" in text(html(member_client.get(theme_url)).select_one(".messages"))


def test_unknown_targets_are_refused_with_a_message(member_client, theme_url):
    for kind, value in [
        ("theme", "nope"),
        ("country", "XX"),
        ("organisation", "nope"),
        ("search", "sort=newest"),
        ("planet", "mars"),
    ]:
        post_follow(member_client, kind, value, theme_url)
    assert not Follow.objects.exists()


def test_the_number_of_follows_is_limited(member_client, member, settings, theme_url):
    settings.FOLLOWS_PER_MEMBER = 2
    follow(member, "country", "AU")
    follow(member, "country", "NL")
    post_follow(member_client, "theme", "crisis-communication", theme_url)
    assert Follow.objects.filter(user=member).count() == 2
    message = text(html(member_client.get(theme_url)).select_one(".messages"))
    assert "You already follow 2 things, the most one member can." in message


def test_the_following_page_lists_removes_and_sets_the_frequency(member_client, member):
    follow(member, "theme", "crisis-communication")
    follow(member, "search", "q=bushfire&country=AU")
    page = html(member_client.get(MINE))
    items = [text(li.select_one("p")) for li in page.select(".following__item")]
    assert items == [
        "Theme Crisis communication",
        "Search “bushfire” · Country: Australia",
    ]
    assert page.select_one(".account-nav a[aria-current=page]")["href"] == MINE
    assert page.select_one("input[name=frequency][value=weekly]").has_attr("checked")

    remove = page.select(".following__item form")[0]["action"]
    member_client.post(remove)
    assert Follow.objects.filter(user=member).count() == 1

    member_client.post(MINE, {"frequency": "daily"})
    assert DigestSettings.objects.get(user=member).frequency == "daily"


def test_nobody_sees_or_removes_another_members_follows(client, member, other_member):
    theirs = follow(other_member, "search", "q=secret+operation")
    client.force_login(member)
    page = client.get(MINE).content.decode()
    assert "secret operation" not in page
    assert client.post(reverse("following:unfollow", args=[theirs.pk])).status_code == 404
    assert Follow.objects.filter(pk=theirs.pk).exists()


def test_the_following_page_needs_sign_in(client):
    response = client.get(MINE)
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_turning_digests_back_on_starts_from_now(member_client, member, clock):
    follow(member, "country", "AU")
    member_client.post(MINE, {"frequency": "off"})
    clock.advance(days=30)
    member_client.post(MINE, {"frequency": "weekly"})
    assert DigestSettings.objects.get(user=member).since == clock.now


def test_the_data_download_lists_what_the_member_follows(member_client, member, other_member):
    follow(member, "country", "AU")
    follow(other_member, "country", "NL")
    data = member_client.get(reverse("account_data")).json()["following"]
    assert data["digests"] == "weekly"
    assert [(f["kind"], f["name"], f["url"]) for f in data["follows"]] == [
        ("country", "Australia", "http://testserver/countries/AU/")
    ]
