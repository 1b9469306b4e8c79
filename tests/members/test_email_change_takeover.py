"""A pending change of e-mail address never hands the account to whoever holds the new
address: password resets go only to verified addresses, only the signed-in owner confirms a
change, and the holder of the address can still sign up (then the pending change is dropped,
so one address is never verified on two accounts)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.members.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db

PENDING = "lapsed@old-force.example"  # the address Jane mistakenly asks to change to
STOLEN = "the-holders-own-passphrase-9"
RESET_PATH = "/accounts/password/reset/key/"
CONFIRM_PATH = "/accounts/confirm-email/"


def links_sent_to(address, path_prefix):
    """Paths of the links starting with `path_prefix` in every e-mail sent to `address`."""
    return [
        path
        for message in mail.outbox
        if message.to == [address]
        for path in re.findall(r"https?://[^/\s]+(/\S+)", message.body)
        if path.startswith(path_prefix)
    ]


def ask_to_change_address(owner, new_address=PENDING):
    response = owner.post(reverse("account_email"), {"action_add": "", "email": new_address})
    assert response.status_code == 302
    assert EmailAddress.objects.filter(email=new_address, verified=False).exists()


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def addresses_of(user):
    return sorted(
        EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")
    )


@pytest.fixture
def owner(member):
    """Jane, signed in, who has asked to change her address to one somebody else holds."""
    owner = Client()
    owner.force_login(member)
    ask_to_change_address(owner)
    return owner


def test_the_holder_of_a_pending_address_cannot_take_over_the_account(owner, member):
    holder = Client()

    # What the holder of the pending address tried in the attack review: a password reset
    # for that address, a new password through its link, signing in with the pending
    # address, then every confirmation link that reached their mailbox.
    holder.post(reverse("account_reset_password"), {"email": PENDING})
    for path in links_sent_to(PENDING, RESET_PATH):
        form_page = holder.get(path, follow=True)
        holder.post(form_page.redirect_chain[-1][0], {"password1": STOLEN, "password2": STOLEN})
    holder.post(reverse("account_login"), {"login": PENDING, "password": STOLEN})
    for path in links_sent_to(PENDING, CONFIRM_PATH):
        holder.get(path)
        holder.post(path)

    assert addresses_of(member) == [
        ("jane@example.org", True, True),
        (PENDING, False, False),
    ]
    assert signed_in_user_id(holder) is None
    member.refresh_from_db()
    assert member.email == "jane@example.org"
    assert member.check_password(PASSWORD)
    assert links_sent_to(PENDING, RESET_PATH) == []
    # Jane still signs in with her own address and password.
    jane = Client()
    jane.post(reverse("account_login"), {"login": "jane@example.org", "password": PASSWORD})
    assert signed_in_user_id(jane) == str(member.pk)


def test_a_reset_for_a_pending_address_looks_like_one_for_an_unknown_address(owner, member):
    requester = Client()
    pending = requester.post(reverse("account_reset_password"), {"email": PENDING})
    unknown = requester.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert (pending.status_code, pending["Location"]) == (unknown.status_code, unknown["Location"])
    assert requester.get(pending["Location"]).content == requester.get(unknown["Location"]).content
    # The holder gets the same "no account with this address" e-mail as for an unknown one.
    to_pending = [m for m in mail.outbox if m.to == [PENDING]][-1]
    to_unknown = [m for m in mail.outbox if m.to == ["nobody@example.org"]][-1]
    assert to_pending.subject == to_unknown.subject
    assert to_pending.body.replace(PENDING, "nobody@example.org") == to_unknown.body
    assert RESET_PATH not in to_pending.body


def test_a_reset_for_a_verified_address_still_works_while_a_change_is_pending(owner, member):
    Client().post(reverse("account_reset_password"), {"email": "jane@example.org"})

    assert len(links_sent_to("jane@example.org", RESET_PATH)) == 1
    assert links_sent_to(PENDING, RESET_PATH) == []


@pytest.mark.parametrize("clicked_by", ["anonymous", "another member"])
def test_only_the_signed_in_owner_confirms_a_change(owner, member, clicked_by):
    (confirm_path,) = links_sent_to(PENDING, CONFIRM_PATH)
    visitor = Client()
    if clicked_by == "another member":
        visitor.force_login(make_member("bob@example.org", "Bob Stranger"))

    visitor.get(confirm_path)
    refused = visitor.post(confirm_path, follow=True)

    assert addresses_of(member) == [("jane@example.org", True, True), (PENDING, False, False)]
    member.refresh_from_db()
    assert member.email == "jane@example.org"
    assert signed_in_user_id(visitor) != str(member.pk)
    # The visitor is asked to sign in and is brought back to the link afterwards.
    first_redirect = urlsplit(refused.redirect_chain[0][0])
    assert first_redirect.path == reverse("account_login")
    assert parse_qs(first_redirect.query)["next"] == [confirm_path]
    assert "Sign in to that account, then confirm the new address." in refused.content.decode()

    # The owner, signed in, confirms with the same link.
    owner.post(confirm_path)
    assert addresses_of(member) == [(PENDING, True, True)]


def sign_up_as_holder(holder):
    """The holder of the pending address joins, once the verification e-mail rate limit
    (one per address in 3 minutes) has passed since Jane's request."""
    cache.clear()
    response = holder.post(
        reverse("account_signup"),
        {
            "display_name": "Pat Holder",
            "email": PENDING,
            "password1": STOLEN,
            "password2": STOLEN,
            "homepage": "",
        },
    )
    assert response.status_code == 302
    return get_user_model().objects.get(profile__display_name="Pat Holder")


def test_the_holder_of_a_pending_address_can_still_sign_up(owner, member):
    holder = Client()
    new_account = sign_up_as_holder(holder)
    jane_link, signup_link = links_sent_to(PENDING, CONFIRM_PATH)
    holder.post(signup_link)

    assert addresses_of(new_account) == [(PENDING, True, True)]
    # Jane's change to that address is dropped: its link no longer works, even for her.
    assert addresses_of(member) == [("jane@example.org", True, True)]
    owner.post(jane_link)
    assert addresses_of(member) == [("jane@example.org", True, True)]
    assert EmailAddress.objects.filter(email=PENDING).count() == 1


def test_a_change_confirmed_by_its_owner_drops_other_unverified_claims(owner, member):
    new_account = sign_up_as_holder(Client())
    jane_link, _signup_link = links_sent_to(PENDING, CONFIRM_PATH)

    owner.post(jane_link)

    assert addresses_of(member) == [(PENDING, True, True)]
    assert addresses_of(new_account) == []
    new_account.refresh_from_db()
    assert new_account.email == ""
    assert EmailAddress.objects.filter(email=PENDING).count() == 1


def test_an_owner_who_follows_the_link_signed_out_signs_in_and_comes_back_to_confirm(
    owner, member
):
    (confirm_path,) = links_sent_to(PENDING, CONFIRM_PATH)
    browser = Client()

    to_sign_in = browser.post(confirm_path)
    signed_in = browser.post(
        to_sign_in["Location"],
        {"login": "jane@example.org", "password": PASSWORD, "next": confirm_path},
    )
    assert signed_in["Location"] == confirm_path
    assert browser.get(confirm_path).status_code == 200
    browser.post(confirm_path)

    assert addresses_of(member) == [(PENDING, True, True)]
