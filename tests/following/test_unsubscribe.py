"""Links in a digest that work without signing in: one-click unsubscribe (RFC 8058) and
stopping one follow, by signed, expiring tokens."""

import re

import pytest

from django.core import mail, signing
from django.urls import reverse

from commonground import tokens
from commonground.following.models import DigestSettings, Follow
from tests.following.conftest import follow
from tests.helpers import html, text


@pytest.fixture
def digest(clock, member, make_case, run_digests):
    """Jane's digest, with two follows that each found a case."""
    follow(member, "theme", "crisis-communication")
    follow(member, "country", "AU")
    clock.advance(hours=1)
    make_case(themes=["crisis-communication"], country="GB")
    make_case(country="AU")
    clock.advance(days=7)
    run_digests()
    [message] = mail.outbox
    return message


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_one_click_unsubscribe_turns_digests_off_without_signing_in(client, digest, member):
    url = path_of(digest.extra_headers["List-Unsubscribe"].strip("<>"))
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client.handler.enforce_csrf_checks = True  # a mail client has no CSRF token

    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert DigestSettings.objects.get(user=member).frequency == "off"
    assert Follow.objects.filter(user=member).count() == 2  # what they follow stays


def test_the_unsubscribe_link_asks_before_it_acts(client, digest, member):
    url = path_of(digest.extra_headers["List-Unsubscribe"].strip("<>"))
    page = html(client.get(url))
    assert DigestSettings.objects.get(user=member).frequency == "weekly"
    form = page.select_one("main form")
    assert form["method"] == "post" and form["action"] == url
    client.post(url)
    assert DigestSettings.objects.get(user=member).frequency == "off"


def test_each_section_has_a_link_that_stops_that_follow(client, digest, member):
    links = [a["href"] for a in html_of(digest).find_all("a", string="Stop following this")]
    assert len(links) == 2
    first = path_of(links[0])
    assert "Crisis communication" in text(html(client.get(first)).select_one("main"))

    response = client.post(first)

    assert response.status_code == 200
    assert list(Follow.objects.filter(user=member).values_list("kind", flat=True)) == ["country"]
    assert DigestSettings.objects.get(user=member).frequency == "weekly"
    # Used again: nothing left to stop, and no error.
    assert client.post(first).status_code == 200


def html_of(message):
    from bs4 import BeautifulSoup

    return BeautifulSoup(message.alternatives[0][0], "html.parser")


def expired_token(salt, monkeypatch, **data) -> str:
    real = signing.TimestampSigner.timestamp
    monkeypatch.setattr(
        signing.TimestampSigner,
        "timestamp",
        lambda self: signing.b62_encode(int(signing.b62_decode(real(self))) - tokens.MAX_AGE - 60),
    )
    token = tokens.make(salt, **data)
    monkeypatch.undo()
    return token


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_token_says_so_and_changes_nothing(client, member, monkeypatch, method):
    follow(member, "country", "AU")
    token = expired_token(tokens.DIGESTS_OFF, monkeypatch, u=member.pk)
    response = getattr(client, method)(reverse("following:digests_off", args=[token]))
    assert response.status_code == 400
    assert "has expired" in text(html_400(response))
    assert html_400(response).select_one(f"a[href='{reverse('following:mine')}']")
    assert DigestSettings.objects.get(user=member).frequency == "weekly"


def html_400(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "html.parser").select_one("main")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_says_so_and_changes_nothing(client, member, other_member, method):
    made = follow(other_member, "country", "AU")
    token = tokens.make(tokens.STOP_FOLLOW, u=member.pk, f=made.pk)
    payload, rest = token.split(":", 1)
    forged = signing.b64_encode(
        signing.JSONSerializer().dumps({"u": other_member.pk, "f": made.pk})
    ).decode()
    for bad in (forged + ":" + rest, token[:-3], "garbage"):
        response = getattr(client, method)(reverse("following:stop", args=[bad]))
        assert response.status_code == 400
        assert "not complete or has been changed" in text(html_400(response))
    assert Follow.objects.filter(pk=made.pk).exists()


def test_a_token_of_one_kind_does_not_work_for_the_other(client, member):
    made = follow(member, "country", "AU")
    stop_token = tokens.make(tokens.STOP_FOLLOW, u=member.pk, f=made.pk)
    assert client.post(reverse("following:digests_off", args=[stop_token])).status_code == 400
    off_token = tokens.make(tokens.DIGESTS_OFF, u=member.pk)
    assert client.post(reverse("following:stop", args=[off_token])).status_code == 400
    assert DigestSettings.objects.get(user=member).frequency == "weekly"
    assert Follow.objects.filter(pk=made.pk).exists()


def test_a_stop_token_only_stops_its_own_members_follow(client, member, other_member):
    theirs = follow(other_member, "country", "AU")
    token = tokens.make(tokens.STOP_FOLLOW, u=member.pk, f=theirs.pk)
    client.post(reverse("following:stop", args=[token]))
    assert Follow.objects.filter(pk=theirs.pk).exists()


def test_stopping_a_follow_takes_the_confirmation_forms_csrf_token(client, member):
    """Only the one-click unsubscribe is exempt from CSRF; the stop link's page posts a form."""
    made = follow(member, "country", "AU")
    url = reverse("following:stop", args=[tokens.make(tokens.STOP_FOLLOW, u=member.pk, f=made.pk)])
    client.handler.enforce_csrf_checks = True
    assert client.post(url).status_code == 403
    assert Follow.objects.filter(pk=made.pk).exists()
    form = html(client.get(url)).select_one("main form")
    client.post(
        url, {"csrfmiddlewaretoken": form.select_one("[name=csrfmiddlewaretoken]")["value"]}
    )
    assert not Follow.objects.filter(pk=made.pk).exists()
