"""Staff sign in through allauth's rate-limited login; repeated failures are refused."""

import pytest
from bs4 import BeautifulSoup

from django.urls import reverse

from tests.members.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db


def test_the_admin_sends_anonymous_visitors_to_the_allauth_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/"


@pytest.mark.parametrize("login_path", ["/admin/login/", "/django-admin/login/"])
def test_the_admin_login_forms_redirect_to_the_allauth_login(client, login_path):
    response = client.get(login_path + "?next=/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/pages/"
    # Posting credentials there does not sign anyone in either.
    make_member("staff@example.org", "Staff", is_staff=True, is_superuser=True)
    posted = client.post(login_path, {"username": "staff@example.org", "password": PASSWORD})
    assert posted.status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_reach_the_admin_after_signing_in_through_allauth(client):
    make_member("staff@example.org", "Staff", is_staff=True, is_superuser=True)

    response = client.post(
        f"{reverse('account_login')}?next=/admin/",
        {"login": "staff@example.org", "password": PASSWORD, "next": "/admin/"},
    )

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_six_failed_logins_in_a_row_are_refused_by_the_rate_limit(client, member):
    url = reverse("account_login")
    for _ in range(5):
        response = client.post(url, {"login": "jane@example.org", "password": "wrong"})
        assert response.status_code == 200
        assert b"not correct" in response.content

    sixth = client.post(url, {"login": "jane@example.org", "password": "wrong"})
    alert = BeautifulSoup(sixth.content, "html.parser").find(attrs={"role": "alert"})
    assert "Too many failed sign-in attempts" in alert.get_text()
    assert "reset your password to sign in straight away" in alert.get_text()

    # Even the right password is refused until the limit has passed.
    right = client.post(url, {"login": "jane@example.org", "password": PASSWORD})
    assert b"Too many failed sign-in attempts" in right.content
    assert "_auth_user_id" not in client.session


def test_a_member_locked_out_by_someone_else_signs_in_after_a_password_reset(client, member):
    """Anyone can lock an address with five wrong passwords; its owner resets the password
    and signs in at once, as the message says."""
    import re

    from django.core import mail
    from django.test import Client

    url = reverse("account_login")
    attacker = Client()
    for _ in range(5):
        attacker.post(url, {"login": "jane@example.org", "password": "wrong"})

    client.post(reverse("account_reset_password"), {"email": "jane@example.org"})
    (link,) = re.findall(
        r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body
    )
    form_url = client.get(link)["Location"]
    new_password = "a-brand-new-passphrase-7"
    client.post(form_url, {"password1": new_password, "password2": new_password})

    signed_in = Client().post(url, {"login": "jane@example.org", "password": new_password})
    assert signed_in.status_code == 302


def test_too_many_requests_get_the_sites_429_page(client, member, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/m/ip"}
    url = reverse("account_reset_password")
    client.post(url, {"email": "jane@example.org"})

    response = client.post(url, {"email": "jane@example.org"})

    assert response.status_code == 429
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "Too many attempts"
    assert page.find("main", id="main") and page.select_one("link[href$='css/site.css']")
