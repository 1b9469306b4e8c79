"""The account pages and e-mails address the reader formally, as the rest of the site does:
allauth's own German says "du", its Dutch "je" and some of its Spanish "tú", and
locale_overrides/ puts them in the formal register ("Sie", "u", "usted")."""

import re

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup

from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.members.conftest import PASSWORD, link_in

pytestmark = pytest.mark.django_db

REGISTERS = {
    # language: (formal words, informal words, the verification-sent page, the confirm page,
    # the confirmed flash). The Dutch and Spanish confirm pages say only an imperative, no
    # pronoun, so they are checked for informal words but not for formal ones.
    "de": (
        r"\b(Sie|Ihnen|Ihr\w*)\b",
        r"\b(du|dich|dir|dein\w*)\b",
        "Wir haben Ihnen eine E-Mail",
        "Bitte bestätigen Sie, dass new@example.org",
        "Sie haben die Adresse new@example.org bestätigt.",
    ),
    "es": (
        r"\b(usted|su|sus|le)\b",
        r"\b(tú|tu|tus|te|ti|contigo)\b",
        "Le hemos enviado un correo electrónico",
        "Por favor, confirme que new@example.org",
        "Ha confirmado new@example.org.",
    ),
    "nl": (
        r"\b(u|uw)\b",
        r"\b(je|jij|jou|jouw|jullie|jezelf)\b",
        "Wij hebben u een e-mail",
        "Bevestig dat new@example.org",
        "U hebt het e-mailadres new@example.org bevestigd.",
    ),
}


def text_of(response) -> str:
    page = BeautifulSoup(response.content, "html.parser")
    return page.find("main").get_text(" ", strip=True)


@pytest.mark.parametrize("language", sorted(REGISTERS))
def test_signing_up_says_the_formal_you_on_every_page_and_in_the_email(client, language):
    formal_words, informal_words, sent_wording, confirm_wording, confirmed_wording = REGISTERS[
        language
    ]
    formal, informal = re.compile(formal_words), re.compile(informal_words, re.IGNORECASE)

    def assert_formal(text: str):
        assert formal.search(text), text
        assert not informal.search(text), text

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
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

    sent_page = text_of(client.get(response["Location"]))
    assert_formal(sent_page)
    assert sent_wording in sent_page

    (email,) = mail.outbox
    assert_formal(email.subject + "\n" + email.body)

    confirm_page = client.get(link_in(email))
    assert confirm_page.status_code == 200
    assert confirm_wording in text_of(confirm_page)
    assert not informal.search(text_of(confirm_page))

    confirmed = client.post(link_in(email), follow=True)
    assert EmailAddress.objects.get(email="new@example.org").verified
    flashes = [str(message) for message in confirmed.context["messages"]]
    assert confirmed_wording in flashes
    for flash in flashes:
        assert not informal.search(flash), flash
