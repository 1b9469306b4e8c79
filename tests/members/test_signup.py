"""Signing up, verifying, signing in, resetting a password, changing the email address,
and that none of it tells a stranger whether an address has an account."""

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from commonground.members.models import MemberProfile
from tests.members.conftest import PASSWORD, link_in, make_member

pytestmark = pytest.mark.django_db


def signup(client, email="new@example.org", display_name="Sam Carter", **extra):
    data = {
        "display_name": display_name,
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "homepage": "",
        **extra,
    }
    return client.post(reverse("account_signup"), data)


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_signup_creates_the_profile_and_sends_a_verification_email(client):
    response = signup(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(email="new@example.org")
    assert user.profile.display_name == "Sam Carter"
    assert user.profile.handle == "sam-carter"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_the_handle_comes_from_the_name_never_the_email_and_is_unique(client):
    signup(client, email="sam.carter@police.example", display_name="Sam Carter")
    signup(client, email="other@police.example", display_name="Sam  Carter")
    signup(client, email="third@police.example", display_name="🙂🙂")

    handles = {p.user.email: p.handle for p in MemberProfile.objects.select_related("user")}
    assert handles["sam.carter@police.example"] == "sam-carter"
    assert handles["other@police.example"] == "sam-carter-2"
    third = get_user_model().objects.get(email="third@police.example")
    assert handles["third@police.example"] == f"member-{third.pk}"
    assert not any("police" in handle for handle in handles.values())


def test_signup_requires_a_name(client):
    response = signup(client, display_name="   ")

    assert response.status_code == 200
    assert not get_user_model().objects.exists()
    page = BeautifulSoup(response.content, "html.parser")
    described_by = page.find(id="id_display_name")["aria-describedby"].split()
    assert "id_display_name_error" in described_by
    assert "required" in page.find(id="id_display_name_error").get_text()


def test_a_filled_honeypot_creates_no_account(client):
    response = signup(client, homepage="https://spam.example/")

    assert response.status_code == 200
    assert not get_user_model().objects.exists()
    assert not mail.outbox


def test_users_created_another_way_get_a_neutral_profile(db):
    call_command(
        "createsuperuser",
        interactive=False,
        username="root",
        email="root.admin@example.org",
        verbosity=0,
    )
    user = get_user_model().objects.get(username="root")

    assert user.profile.handle == f"member-{user.pk}"
    assert "root" not in user.profile.display_name


def test_an_unverified_member_cannot_sign_in_and_is_sent_to_verification(client):
    signup(client)
    client.logout()
    mail.outbox.clear()

    response = login(client, "new@example.org")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("account_profile")).status_code == 302
    page = client.get(response["Location"])
    assert "verify your email address" in page.content.decode().lower()


def test_following_the_verification_link_verifies_and_signs_in(client):
    signup(client)
    confirm_path = link_in(mail.outbox[0])

    page = client.get(confirm_path)
    assert page.status_code == 200
    response = client.post(confirm_path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.org").verified
    assert client.get(reverse("account_profile")).status_code == 200


def test_a_verified_member_signs_in_with_their_email_address(client, member):
    response = login(client, "jane@example.org")

    assert response.status_code == 302
    assert response["Location"] == "/contribute/mine/"
    assert int(client.session["_auth_user_id"]) == member.pk


def test_signing_in_with_the_username_does_not_work(client, member):
    response = login(client, member.username)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signup_with_a_taken_email_looks_exactly_like_a_new_signup(member):
    new_client, taken_client = Client(), Client()
    new = signup(new_client, email="fresh@example.org")
    taken = signup(taken_client, email="jane@example.org", display_name="Impostor")

    assert (taken.status_code, taken["Location"]) == (new.status_code, new["Location"])
    new_page = new_client.get(new["Location"]).content.decode()
    taken_page = taken_client.get(taken["Location"]).content.decode()
    assert "Confirmation email sent to jane@example.org" in taken_page
    assert taken_page.replace("jane@", "fresh@") == new_page
    assert get_user_model().objects.filter(email="jane@example.org").count() == 1
    assert not MemberProfile.objects.filter(display_name="Impostor").exists()
    # The owner of the address is told someone tried, instead of a second account.
    assert mail.outbox[-1].to == ["jane@example.org"]


def test_password_reset_for_an_unknown_address_looks_like_one_for_a_known_one(client, member):
    known = client.post(reverse("account_reset_password"), {"email": "jane@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "/accounts/password/reset/key/" not in mail.outbox[1].body


def test_password_reset_end_to_end(client, member):
    client.post(reverse("account_reset_password"), {"email": "jane@example.org"})
    key_path = link_in(mail.outbox[0])

    form_page = client.get(key_path, follow=True)
    assert form_page.status_code == 200
    set_password_path = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_path,
        {"password1": "a-brand-new-passphrase-7", "password2": "a-brand-new-passphrase-7"},
    )
    assert done.status_code == 302

    client.logout()
    assert login(client, "jane@example.org").status_code == 200  # old password refused
    assert login(client, "jane@example.org", "a-brand-new-passphrase-7").status_code == 302
    # The link works once.
    client.logout()
    assert b"Link no longer valid" in client.get(key_path, follow=True).content


def test_changing_the_email_address_waits_for_verification_of_the_new_one(member_client, member):
    mail.outbox.clear()
    response = member_client.post(
        reverse("account_email"), {"action_add": "", "email": "jane.new@example.org"}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "jane@example.org"
    new = EmailAddress.objects.get(email="jane.new@example.org")
    assert not new.verified and not new.primary
    assert mail.outbox[-1].to == ["jane.new@example.org"]
    # Signing in with the unverified address only leads to verification.
    member_client.logout()
    attempt = login(member_client, "jane.new@example.org")
    assert attempt["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in member_client.session

    member_client.force_login(member)
    member_client.post(link_in(mail.outbox[-1]))
    member.refresh_from_db()
    assert member.email == "jane.new@example.org"
    assert EmailAddress.objects.get(email="jane.new@example.org").primary


def test_each_member_has_one_profile_even_with_two_signups_of_one_name(client):
    make_member("a@example.org", "Alex")
    make_member("b@example.org", "Alex")

    assert sorted(MemberProfile.objects.values_list("handle", flat=True)) == ["alex", "alex-2"]


@pytest.mark.parametrize("address", ["sam@example.org", "jane@example.org"], ids=["new", "taken"])
def test_a_second_signup_within_the_verification_limit_looks_like_a_first(member, address):
    """allauth sends one verification e-mail per address in 3 minutes; a second signup with
    the same address in that time must answer exactly like one with a never-seen address."""
    signup(Client(), email=address, display_name="First Try")
    again_client, fresh_client = Client(), Client()

    again = signup(again_client, email=address, display_name="Second Try")
    fresh = signup(fresh_client, email="never-seen@example.org", display_name="Second Try")

    assert (again.status_code, again["Location"]) == (fresh.status_code, fresh["Location"])
    again_page = again_client.get(again["Location"]).content.decode()
    fresh_page = fresh_client.get(fresh["Location"]).content.decode()
    assert f"Confirmation email sent to {address}" in again_page
    assert again_page.replace(address, "never-seen@example.org") == fresh_page


def test_the_name_given_at_signup_is_stored_on_one_line(client):
    signup(client, display_name="Sam\r\nCarter\u2028\x00\u202e")

    profile = MemberProfile.objects.get()
    assert (profile.display_name, profile.handle) == ("Sam Carter", "sam-carter")


def test_a_name_of_only_invisible_characters_creates_no_account(client):
    response = signup(client, display_name="\u200b\r\n\u202e")

    assert response.status_code == 200
    assert not get_user_model().objects.exists()
    assert not mail.outbox


def test_the_address_of_an_account_made_outside_allauth_is_taken(client):
    call_command(
        "createsuperuser",
        interactive=False,
        username="root",
        email="root.admin@example.org",
        verbosity=0,
    )

    response = signup(client, email="root.admin@example.org", display_name="Impostor")

    assert response["Location"] == reverse("account_email_verification_sent")
    assert get_user_model().objects.filter(email="root.admin@example.org").count() == 1
    assert not MemberProfile.objects.filter(display_name="Impostor").exists()
    assert mail.outbox[-1].to == ["root.admin@example.org"]


def test_a_taken_address_costs_the_same_password_hash_as_a_new_one(client, member, monkeypatch):
    """The one slow step of a signup is hashing the password: a taken address skipped it and
    answered several times faster, which told a stranger the address had an account."""
    from django.contrib.auth.hashers import get_hasher

    hasher, hashed = type(get_hasher()), []
    real = hasher.encode
    monkeypatch.setattr(hasher, "encode", lambda *a, **k: hashed.append(1) or real(*a, **k))

    signup(Client(), email="new@example.org")
    new = len(hashed)
    signup(Client(), email="jane@example.org", display_name="Someone Else")
    assert new == 1
    assert len(hashed) - new == 1


def test_the_verification_email_names_no_account(client):
    """Anyone can choose a name and have this e-mail sent to any address: it must not carry
    their text ("because user <name> has given your email address")."""
    signup(client, email="victim@example.org", display_name="Police IT: renew at evil.example")
    (message,) = mail.outbox
    assert "evil.example" not in message.body
    assert "Police IT" not in message.body
    assert "/accounts/confirm-email/" in message.body


def password_values(response) -> dict[str, str]:
    assert response.status_code == 200  # the form again, with an error
    page = BeautifulSoup(response.content, "html.parser")
    return {i["name"]: i.get("value", "") for i in page.select("input[type=password]")}


def test_a_failed_signup_keeps_the_password_typed(client):
    response = signup(client, password2="")
    assert password_values(response) == {"password1": PASSWORD, "password2": ""}
    assert not get_user_model().objects.filter(email="new@example.org").exists()


def test_a_failed_password_reset_keeps_the_password_typed(client, member):
    client.post(reverse("account_reset_password"), {"email": "jane@example.org"})
    set_password_path = client.get(link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    response = client.post(set_password_path, {"password1": "a-brand-new-passphrase-7"})
    assert password_values(response) == {"password1": "a-brand-new-passphrase-7", "password2": ""}


def test_a_failed_password_change_keeps_the_passwords_typed(member_client):
    typed = {"oldpassword": PASSWORD, "password1": "a-brand-new-passphrase-7"}
    response = member_client.post(reverse("account_change_password"), typed)
    assert password_values(response) == {**typed, "password2": ""}


def test_the_sign_in_form_does_not_send_a_password_back(client, member):
    response = client.post(reverse("account_login"), {"login": "", "password": PASSWORD})
    assert password_values(response) == {"password": ""}
