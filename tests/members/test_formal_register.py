"""The account pages and e-mails address a German reader as "Sie", as the rest of the site
does: allauth's own German says "du", and locale_overrides/de puts it in the formal register."""

import re

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup

from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.members.conftest import PASSWORD, link_in

pytestmark = pytest.mark.django_db

INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*)\b", re.IGNORECASE)
FORMAL = re.compile(r"\b(Sie|Ihnen|Ihr\w*)\b")


def text_of(response) -> str:
    page = BeautifulSoup(response.content, "html.parser")
    return page.find("main").get_text(" ", strip=True)


def assert_formal(text: str):
    assert FORMAL.search(text), text
    assert not INFORMAL.search(text), text


def test_signing_up_in_german_says_sie_on_every_page_and_in_the_email(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "Sam Carter",
            "email": "new@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "homepage": "",
        },
    )
    assert response["Location"] == reverse("account_email_verification_sent")

    sent_page = client.get(response["Location"])
    assert_formal(text_of(sent_page))
    assert "Wir haben Ihnen eine E-Mail" in text_of(sent_page)

    (email,) = mail.outbox
    assert_formal(email.subject + "\n" + email.body)

    confirm_page = client.get(link_in(email))
    assert confirm_page.status_code == 200
    assert_formal(text_of(confirm_page))

    confirmed = client.post(link_in(email), follow=True)
    assert EmailAddress.objects.get(email="new@example.org").verified
    flashes = [str(message) for message in confirmed.context["messages"]]
    assert "Sie haben die Adresse new@example.org bestätigt." in flashes
    for flash in flashes:
        assert not INFORMAL.search(flash), flash
