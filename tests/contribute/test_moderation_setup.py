"""Setting up moderation works first time: `make admin` makes a verified superuser who
moderates, staff join Moderators without names, someone is always told of a submission,
the admin says who, and moderators see the member's name, never their e-mail address."""

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.models import CaseStudyPage
from commonground.members.profiles import create_profile
from tests.helpers import html, text

from .conftest import PASSWORD, make_user


def submit(client, member, contribution_data, capture):
    client.force_login(member)
    with capture(execute=True):
        response = client.post("/contribute/", {**contribution_data, "action": "submit"})
    assert response.status_code == 302, response.content[:500]
    client.logout()
    return CaseStudyPage.objects.get(contributor=member)


def test_make_admin_makes_a_verified_superuser_who_moderates(client, db):
    call_command(
        "createsuperuser",
        interactive=False,
        username="root",
        email="Chief@Example.org",
        verbosity=0,
    )
    user = get_user_model().objects.get(username="root")
    user.set_password(PASSWORD)
    user.save()
    address = EmailAddress.objects.get(user=user)
    assert address.verified and address.primary
    assert user.groups.filter(name="Moderators").exists()
    response = client.post(
        "/accounts/login/", {"login": "chief@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302, response.content[:800]
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("email", ["", "ana@example.org"])
def test_make_admin_needs_a_free_email_address(member, email):
    with pytest.raises(CommandError):
        call_command(
            "createsuperuser", interactive=False, username="root", email=email, verbosity=0
        )
    assert not get_user_model().objects.filter(username="root").exists()


def test_staff_join_moderators_without_first_and_last_names(client, db):
    admin = make_user("root@example.org", is_staff=True, is_superuser=True)
    staff = make_user("sam@example.org")
    moderators = Group.objects.get(name="Moderators")
    client.force_login(admin)
    url = reverse("wagtailusers_users:edit", args=[staff.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "username": staff.username,
            "email": staff.email,
            "first_name": "",
            "last_name": "",
            "is_active": "on",
            "groups": [moderators.pk],
        },
    )
    assert response.status_code == 302, text(html(response).select_one("form"))[:800]
    assert staff.groups.filter(pk=moderators.pk).exists()


def test_without_moderators_superusers_hear_of_submissions(
    client, member, admin_user, contribution_data, django_capture_on_commit_callbacks
):
    assert not Group.objects.get(name="Moderators").user_set.exists()
    submit(client, member, contribution_data, django_capture_on_commit_callbacks)
    assert [m for m in mail.outbox if admin_user.email in m.to], [m.to for m in mail.outbox]


def test_the_admin_dashboard_says_who_will_be_told(client, admin_user, moderator):
    create_profile(moderator, "Mo Derator")
    client.force_login(admin_user)
    panel = html(client.get("/admin/")).select_one("#moderation-notices")
    assert panel is not None
    assert "Mo Derator" in text(panel)
    assert "mod@example.org" not in text(panel)


def test_the_admin_dashboard_warns_when_nobody_will_be_told(client, admin_user):
    admin_user.email = ""
    admin_user.save()
    client.force_login(admin_user)
    panel = html(client.get("/admin/")).select_one("#moderation-notices")
    assert panel is not None
    assert "nobody" in text(panel).lower()


def test_moderators_see_the_members_name_not_their_address(
    client, moderator, contribution_data, django_capture_on_commit_callbacks
):
    jane = make_user("jane.press@example.org")
    create_profile(jane, "Jane Smith")
    submit(client, jane, contribution_data, django_capture_on_commit_callbacks)
    (notice,) = [m for m in mail.outbox if moderator.email in m.to]
    assert "Jane Smith" in notice.body and "jane.press" not in notice.body
    client.force_login(moderator)
    queue = client.get("/admin/").content.decode()
    assert "Jane Smith" in queue and "jane.press" not in queue


def test_a_member_without_a_name_is_never_shown_by_address(db):
    nameless = get_user_model().objects.create_user(
        username="kim.secret", email="kim.secret@example.org"
    )
    assert "kim.secret" not in nameless.get_full_name()
    assert nameless.get_full_name()


def test_an_administrator_without_a_name_is_shown_by_the_username_they_chose(django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x-Pass-1")
    member = django_user_model.objects.create_user("jane.press", "jane.press@example.org", "x")
    assert admin.get_full_name() == "admin"
    assert "jane" not in member.get_full_name()
