"""Rate limits are keyed on the client's address: REMOTE_ADDR when the site is reached
directly (a forged X-Forwarded-For changes nothing), the address the trusted reverse proxy
saw when TRUSTED_PROXY_COUNT / TRUSTED_CLIENT_IP_HEADER say there is one. No header makes a
request fail."""

import secrets

import pytest

from django.test import Client
from django.urls import reverse

from tests.commonground.test_settings import manage
from tests.members.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
TOO_MANY = b"Too many failed sign-in attempts"


def sign_in(email, password, remote_addr=PROXY, **headers):
    """A sign-in from a fresh browser, arriving from `remote_addr` with `headers`."""
    client = Client(REMOTE_ADDR=remote_addr, headers=headers)
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return response, client


def fail_five_times(remote_addr=PROXY, headers=lambda n: {}):
    """Five wrong passwords, each for a different address so only the per-client limit
    counts; `headers(n)` gives the n-th request's headers."""
    for n in range(5):
        response, _client = sign_in(f"guess-{n}@example.org", "wrong", remote_addr, **headers(n))
        assert response.status_code == 200
        assert TOO_MANY not in response.content


def is_signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def test_reached_directly_a_forged_x_forwarded_for_is_ignored(member):
    fail_five_times("203.0.113.7", headers=lambda n: {"X-Forwarded-For": f"198.51.100.{n}"})

    sixth, _client = sign_in(
        "guess-6@example.org", "wrong", "203.0.113.7", **{"X-Forwarded-For": "198.51.100.99"}
    )
    assert TOO_MANY in sixth.content
    # Another client, with the forged address of a limited one, is not limited.
    response, client = sign_in(
        "jane@example.org", PASSWORD, "203.0.113.8", **{"X-Forwarded-For": "203.0.113.7"}
    )
    assert response.status_code == 302 and is_signed_in(client)


def test_behind_a_proxy_one_clients_failures_do_not_lock_out_the_others(behind_one_proxy, member):
    moderator = make_member("mod@example.org", "Moderator", is_staff=True)
    fail_five_times(headers=lambda n: {"X-Forwarded-For": "198.51.100.1"})

    sixth, _client = sign_in("guess-6@example.org", "wrong", **{"X-Forwarded-For": "198.51.100.1"})
    assert TOO_MANY in sixth.content
    # The member and the moderator, behind the same proxy, type their passwords.
    for number, account in enumerate((member, moderator), start=2):
        response, client = sign_in(
            account.email, PASSWORD, **{"X-Forwarded-For": f"198.51.100.{number}"}
        )
        assert response.status_code == 302, response.content
        assert int(client.session["_auth_user_id"]) == account.pk


def test_behind_a_proxy_a_forged_left_most_entry_does_not_choose_the_key(behind_one_proxy, member):
    # The attacker sends a new X-Forwarded-For each time; the proxy appends the real address.
    fail_five_times(headers=lambda n: {"X-Forwarded-For": f"192.0.2.{n}, 198.51.100.66"})

    sixth, _client = sign_in(
        "guess-6@example.org", "wrong", **{"X-Forwarded-For": "192.0.2.200, 198.51.100.66"}
    )
    assert TOO_MANY in sixth.content
    response, client = sign_in("jane@example.org", PASSWORD, **{"X-Forwarded-For": "192.0.2.1"})
    assert response.status_code == 302 and is_signed_in(client)


@pytest.mark.parametrize(
    "proxies, headers",
    [
        (2, {"X-Forwarded-For": "198.51.100.1"}),  # fewer entries than trusted proxies
        (1, {"X-Forwarded-For": "not-an-address"}),
        (1, {"X-Forwarded-For": ""}),
        (1, {"X-Forwarded-For": ",,,"}),
    ],
)
def test_a_short_or_malformed_x_forwarded_for_never_fails_the_request(
    settings, member, proxies, headers
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies

    response, client = sign_in("jane@example.org", PASSWORD, "203.0.113.7", **headers)

    assert response.status_code == 302 and is_signed_in(client)
    # Such requests are keyed on the address that connected.
    fail_five_times("203.0.113.9", headers=lambda n: headers)
    limited, _client = sign_in("jane@example.org", PASSWORD, "203.0.113.9", **headers)
    assert TOO_MANY in limited.content
    other, client = sign_in("jane@example.org", PASSWORD, "203.0.113.10", **headers)
    assert other.status_code == 302 and is_signed_in(client)


def test_a_header_set_by_the_proxy_can_name_the_client(settings, member):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    fail_five_times(headers=lambda n: {"X-Real-IP": "198.51.100.1"})

    limited, _client = sign_in("jane@example.org", PASSWORD, **{"X-Real-IP": "198.51.100.1"})
    assert TOO_MANY in limited.content
    response, client = sign_in("jane@example.org", PASSWORD, **{"X-Real-IP": "198.51.100.2"})
    assert response.status_code == 302 and is_signed_in(client)
    # Without the header, or with a malformed one, the address that connected counts.
    for headers in ({}, {"X-Real-IP": "x"}):
        response, client = sign_in("jane@example.org", PASSWORD, "203.0.113.7", **headers)
        assert response.status_code == 302 and is_signed_in(client)


def test_the_proxy_settings_come_from_the_environment():
    script = (
        "from django.conf import settings as s; "
        "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    key = secrets.token_urlsafe(64)

    default = manage("shell", "-v", "0", "-c", script, SECRET_KEY=key)
    configured = manage(
        "shell",
        "-v",
        "0",
        "-c",
        script,
        SECRET_KEY=key,
        TRUSTED_PROXY_COUNT="1",
        TRUSTED_CLIENT_IP_HEADER="X-Real-IP",
    )

    assert default.stdout.strip() == "0 None", default.stderr
    assert configured.stdout.strip() == "1 X-Real-IP", configured.stderr
