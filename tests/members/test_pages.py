"""Every account page renders in the site's layout and is built accessibly: one h1, the
main landmark, a visible label for every control, errors tied to their fields."""

import pytest
from bs4 import BeautifulSoup

from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.members.conftest import link_in

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "account_signup",
    "account_login",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_email_verification_sent",
    "account_inactive",
]
MEMBER_PAGES = [
    "account_logout",
    "account_change_password",
    "account_email",
    "account_profile",
    "account_delete",
]


def check_accessible_structure(response):
    assert response.status_code in (200, 429), response.status_code
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("link[href$='css/site.css']"), "not in the site's layout"
    assert page.find("main", id="main")
    assert page.find("header", class_="site-header") and page.find("footer")
    assert len(page.find_all("h1")) == 1
    assert page.title.get_text(strip=True).endswith("Common Ground")
    for control in page.main.find_all(["input", "select", "textarea"]):
        if control.get("type") in ("hidden", "submit") or control.find_parent(class_="honeypot"):
            continue
        label = page.find("label", attrs={"for": control.get("id")})
        assert label and label.get_text(strip=True), f"no visible label for {control}"
        assert not label.find_parent(class_="visually-hidden")
    # The Content-Security-Policy refuses inline styles and scripts.
    assert not page.find(style=True), page.find(style=True)
    assert not [s for s in page.find_all("script") if not s.get("src")]
    for button in page.main.find_all("button"):
        assert button.get_text(strip=True), f"empty button {button}"
    return page


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_account_pages(client, name):
    check_accessible_structure(client.get(reverse(name)))


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_member_account_pages(member_client, name):
    page = check_accessible_structure(member_client.get(reverse(name)))
    assert "jane@example.org" not in page.find("header").get_text()


def test_the_public_profile_page(client, member):
    check_accessible_structure(client.get(member.profile.get_absolute_url()))


def test_the_password_reset_key_pages(client, member):
    client.post(reverse("account_reset_password"), {"email": "jane@example.org"})
    form = client.get(link_in(mail.outbox[0]), follow=True)
    page = check_accessible_structure(form)
    assert page.find("input", attrs={"name": "password1"})
    bad = client.get("/accounts/password/reset/key/1-not-a-key/", follow=True)
    assert "link no longer valid" in check_accessible_structure(bad).h1.get_text().lower()


def test_the_email_confirmation_pages(client, member, django_user_model):
    client.force_login(member)
    client.post(reverse("account_email"), {"action_add": "", "email": "jane.new@example.org"})
    check_accessible_structure(client.get(link_in(mail.outbox[-1])))
    invalid = client.get("/accounts/confirm-email/not-a-key/")
    assert "expired or is invalid" in check_accessible_structure(invalid).get_text()


def test_the_email_page_while_a_change_is_pending_offers_resend_and_cancel(member_client):
    member_client.post(
        reverse("account_email"), {"action_add": "", "email": "jane.new@example.org"}
    )
    page = check_accessible_structure(member_client.get(reverse("account_email")))
    assert page.find("button", attrs={"name": "action_send"})
    assert page.find("button", attrs={"name": "action_remove"})

    cache.clear()  # past the one-email-per-3-minutes limit
    mail.outbox.clear()
    member_client.post(
        reverse("account_email"), {"action_send": "", "email": "jane.new@example.org"}
    )
    assert [m.to for m in mail.outbox] == [["jane.new@example.org"]]


def test_the_fields_allauth_writes_by_hand_are_laid_out_like_every_other_field(member_client):
    """The email change form's fields (allauth's {% element field %}) come through the one
    form-field component: label, hint and errors, each named by the control."""
    member_client.post(
        reverse("account_email"), {"action_add": "", "email": "jane.new@example.org"}
    )
    response = member_client.post(
        reverse("account_email"), {"action_add": "", "email": "not-an-email"}
    )
    page = check_accessible_structure(response)

    wanted = page.find("input", id="id_email")
    assert wanted["name"] == "email" and wanted["value"] == "not-an-email"
    assert wanted["aria-invalid"] == "true"
    assert wanted["aria-describedby"] == "id_email_error"
    assert "Enter a valid email" in page.find(id="id_email_error", class_="field__errors").text
    assert "field--error" in wanted.find_parent(class_="field")["class"]

    pending = page.find("input", id="new_email")
    assert pending.has_attr("disabled") and pending["value"] == "jane.new@example.org"
    hint = page.find(id=pending["aria-describedby"])
    assert "field__hint" in hint["class"] and "pending verification" in hint.text
    assert hint.find("button", attrs={"name": "action_send"})
    # Neither says "(optional)": allauth does not mark any of them as one to leave empty.
    assert not page.main.form.find(class_="field__optional")


def test_form_errors_are_tied_to_their_fields(client):
    response = client.post(reverse("account_reset_password"), {"email": "not-an-email"})
    page = check_accessible_structure(response)
    field = page.find("input", attrs={"name": "email"})

    assert field["aria-invalid"] == "true"
    error_ids = field["aria-describedby"].split()
    assert any(page.find(id=i, class_="field__errors") for i in error_ids)
    assert page.find(class_="form-errors", attrs={"role": "alert"})


def test_the_login_page_links_to_password_reset_and_signup(client):
    page = check_accessible_structure(client.get(reverse("account_login")))
    links = [a["href"] for a in page.main.find_all("a")]
    assert reverse("account_reset_password") in links
    assert reverse("account_signup") in links


def test_the_signup_form_has_the_honeypot_hidden_from_people(client):
    page = check_accessible_structure(client.get(reverse("account_signup")))
    honeypot = page.find("input", attrs={"name": "homepage"})

    assert honeypot.find_parent(class_="honeypot")["aria-hidden"] == "true"
    assert honeypot["tabindex"] == "-1"
    names = [i["name"] for i in page.main.form.find_all("input") if i.get("type") != "hidden"]
    assert names[:4] == ["display_name", "email", "password1", "password2"]
