"""The e-mail moderators get when a contribution is sent for review: one per person whether
they moderate, administer or both, in the recipient's own language (not the submitter's),
naming the seeded workflow and task in that language; staff who sent a page hear of the
decision in theirs."""

from collections import Counter

import pytest

from django.contrib.auth.models import Group
from django.core import mail

from wagtail.models import Task

from cases.models import CaseStudyPage
from commonground.members.models import MemberProfile
from commonground.members.profiles import create_profile

from .conftest import make_user
from .test_moderation import act


def submit(client, member, data, capture):
    client.force_login(member)
    with capture(execute=True):
        response = client.post("/contribute/", {**data, "action": "submit"})
    assert response.status_code == 302, response.content[:500]
    client.logout()
    return CaseStudyPage.objects.get(contributor=member)


def speaks(user, code):
    create_profile(user, user.username.title())
    MemberProfile.objects.filter(user=user).update(language=code)


@pytest.fixture
def staff(db):
    """A superuser who moderates (what `make admin` makes), a moderator, a superuser."""
    moderators = Group.objects.get(name="Moderators")
    both = make_user("both@example.org", is_staff=True, is_superuser=True)
    both.groups.add(moderators)
    moderator = make_user("mod@example.org")
    moderator.groups.add(moderators)
    superuser = make_user("root@example.org", is_staff=True, is_superuser=True)
    return both, moderator, superuser


def recipients():
    return Counter(address for message in mail.outbox for address in message.to)


def test_everyone_told_of_a_submission_gets_one_email(
    client, member, staff, contribution_data, django_capture_on_commit_callbacks
):
    submit(client, member, contribution_data, django_capture_on_commit_callbacks)

    assert recipients() == {"both@example.org": 1, "mod@example.org": 1, "root@example.org": 1}


def test_a_resubmission_is_one_email_each_again(
    client, member, staff, contribution_data, django_capture_on_commit_callbacks
):
    page = submit(client, member, contribution_data, django_capture_on_commit_callbacks)
    act(client, staff[1], page, "reject", "More figures", django_capture_on_commit_callbacks)
    mail.outbox.clear()

    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/contribute/{page.pk}/edit/", {**contribution_data, "action": "submit"})

    assert recipients() == {"both@example.org": 1, "mod@example.org": 1, "root@example.org": 1}


def test_the_dashboard_names_each_person_told_once(client, staff):
    client.force_login(staff[0])
    panel = client.get("/admin/").content.decode()
    for user in staff:
        assert panel.count(user.get_full_name()) >= 1
    from cases.moderators import notified_of_submissions

    assert sorted(u.email for u in notified_of_submissions()) == [
        "both@example.org",
        "mod@example.org",
        "root@example.org",
    ]


def test_each_moderator_is_written_to_in_their_own_language(
    client, member, staff, contribution_data, django_capture_on_commit_callbacks
):
    both, moderator, superuser = staff
    speaks(member, "de")
    speaks(moderator, "fr")
    speaks(both, "es")
    # The root account never chose a language: the site's, not the German submitter's.

    client.force_login(member)
    client.cookies.load({"django_language": "de"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contribute/", {**contribution_data, "action": "submit"})
    assert response.status_code == 302

    by_address = {message.to[0]: message for message in mail.outbox}
    french = by_address["mod@example.org"]
    assert "a été soumise" in french.subject, french.subject
    assert "Relecture par un modérateur" in french.subject
    assert "Proposé sur Common Ground par" in french.body
    spanish = by_address["both@example.org"]
    assert "Revisión por un moderador" in spanish.subject, spanish.subject
    english = by_address["root@example.org"]
    assert 'moderation stage "Moderator review"' in english.subject, english.subject
    assert "Hello" in english.body
    for message in mail.outbox:
        # Never in the submitter's German.
        assert "Prüfung durch die Moderation" not in message.subject


def test_a_renamed_task_is_named_as_typed(
    client, member, staff, contribution_data, django_capture_on_commit_callbacks
):
    speaks(staff[1], "de")
    Task.objects.filter(name="Moderator review").update(name="Prüfung durch das Team")

    submit(client, member, contribution_data, django_capture_on_commit_callbacks)

    (german,) = [m for m in mail.outbox if "mod@example.org" in m.to]
    assert "Prüfung durch das Team" in german.subject, german.subject


def test_staff_who_sent_a_page_hear_of_the_decision_in_their_own_language(
    client, staff, django_capture_on_commit_callbacks
):
    from wagtail.models import Workflow

    from tests.factories import CaseStudyPageFactory

    both, moderator, superuser = staff
    speaks(both, "nl")
    speaks(moderator, "fr")
    page = CaseStudyPageFactory(live=False, title="Een campagne")
    page.save_revision(user=both)
    Workflow.objects.get(name="Case review").start(page, both)
    mail.outbox.clear()

    act(client, moderator, page, "reject", "Meer cijfers", django_capture_on_commit_callbacks)

    (dutch,) = [m for m in mail.outbox if "both@example.org" in m.to]
    assert "is afgekeurd" in dutch.subject, dutch.subject  # Wagtail's Dutch
    assert "Casusbeoordeling" in dutch.subject  # the seeded workflow's name, in Dutch
    assert "Beoordeling door een moderator" in dutch.body


# The informal words of Wagtail's own notice wording that locale_overrides/ replaces.
INFORMAL_NOTICE = {
    "nl": r"\b(je|jij|jou|jouw)\b",
    "es": r"\b(tú|tu|tus|te|puedes)\b",
    "fr": r"\b(salut|tu|te|toi|ton|ta|tes)\b",
}


def test_the_notice_addresses_moderators_formally_in_every_language(
    client, member, staff, contribution_data, django_capture_on_commit_callbacks
):
    import re

    both, moderator, superuser = staff
    speaks(moderator, "nl")
    speaks(both, "es")
    speaks(superuser, "fr")

    submit(client, member, contribution_data, django_capture_on_commit_callbacks)

    by_address = {message.to[0]: message for message in mail.outbox}
    for address, language, greeting in [
        ("mod@example.org", "nl", "Beste "),
        ("both@example.org", "es", "Hola "),
        ("root@example.org", "fr", "Bonjour "),
    ]:
        message = by_address[address]
        text = message.subject + "\n" + message.body
        assert greeting in message.body, message.body
        informal = re.findall(INFORMAL_NOTICE[language], text, re.IGNORECASE)
        assert not informal, (language, informal, text)
