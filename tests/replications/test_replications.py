"""“We tried this too”: recording, the daily allowance, withdrawing, who sees what, and
moderation in the admin (approve, reject, the member's e-mail in their language, the case's
search entry and cached counts refreshed)."""

import pytest

from django.core import mail
from django.urls import reverse

from cases.cache import library_version
from cases.models import Replication
from commonground.members.models import MemberProfile
from commonground.members.profiles import create_profile
from tests.factories import OrganisationFactory
from tests.helpers import html, text

Status = Replication.Status


def tried_url(case):
    return reverse("contribute:tried", args=[case.pk])


def record(client, case, data):
    return client.post(tried_url(case), data)


def make_replication(case, member, **extra):
    values = {
        "page": case,
        "member": member,
        "organisation_name": "Politiezone Gent",
        "country": "BE",
        "tried_on": "2023-04-01",
        "tried_precision": "month",
        "changes": "Two officers instead of one.",
        "result": "worked",
        "evidence": "monitored",
        "status": Status.PENDING,
    }
    return Replication.objects.create(**{**values, **extra})


# Recording -------------------------------------------------------------------------------


def test_a_member_records_a_replication_which_waits_for_review(
    member_client, case, replication_data
):
    response = record(member_client, case, replication_data)

    assert response.status_code == 302
    replication = Replication.objects.get()
    assert replication.status == Status.PENDING
    assert replication.organisation_name == "Politiezone Gent"
    assert (replication.tried_iso, replication.result) == ("2023-04", "worked")
    # Not on the case until approved; the member sees it, waiting, on the form page.
    assert "Politiezone Gent" not in text(
        html(member_client.get(case.url)).select_one(".replications")
    )
    mine = html(member_client.get(tried_url(case))).select_one(".my-replications")
    assert "Politiezone Gent" in text(mine) and "Awaiting review" in text(mine)


def test_the_case_page_links_to_the_form(client, case):
    link = html(client.get(case.url)).select_one(".replications a.button")
    assert link["href"] == tried_url(case)


def test_a_typed_alias_is_matched_to_the_public_organisation(
    member_client, case, replication_data
):
    gmp = case.organisation
    gmp.aliases = "GMP"
    gmp.save()

    record(member_client, case, {**replication_data, "organisation": "gmp"})

    assert Replication.objects.get().organisation == gmp


def test_an_unpublished_organisation_is_never_matched(member_client, case, replication_data):
    hidden = OrganisationFactory(name="Draft Only Force", aliases="DOF")

    record(member_client, case, {**replication_data, "organisation": "DOF"})

    replication = Replication.objects.get()
    assert replication.organisation is None and hidden.pk
    assert replication.organisation_display == "DOF"


def test_a_form_with_problems_keeps_the_input_and_lists_them(
    member_client, case, replication_data
):
    data = {**replication_data, "result": "", "tried_year": "", "tried_month": "4"}

    soup = html(record(member_client, case, data))

    summary = soup.select_one("#error-summary")
    assert "There are 2 problems" in text(summary)
    assert [a["href"] for a in summary.select("a")] == ["#id_tried_2", "#id_result_0"]
    assert soup.select_one("#id_organisation")["value"] == "Politiezone Gent"
    assert "Instagram" in soup.select_one("#id_changes").text
    assert not Replication.objects.exists()


def test_signing_in_with_a_verified_address_is_needed(client, case, unverified_member):
    response = client.get(tried_url(case))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("account_login")
    )
    client.force_login(unverified_member)
    # allauth asks to verify the address first: no form.
    assert not html(client.get(tried_url(case))).select("form.form--replication")


def test_only_published_cases_can_be_replicated(member_client, case):
    case.unpublish()
    assert member_client.get(tried_url(case)).status_code == 404


def test_the_daily_allowance_refuses_and_keeps_the_input(
    member_client, case, replication_data, settings
):
    settings.REPLICATIONS_PER_DAY = 2
    for _ in range(2):
        assert record(member_client, case, replication_data).status_code == 302
    # Withdrawing does not give a place back.
    rules_row = Replication.objects.first()
    member_client.post(reverse("contribute:withdraw_replication", args=[rules_row.pk]))

    soup = html(record(member_client, case, replication_data))

    assert "at most 2 replications a day" in text(soup.select_one("#error-summary"))
    assert soup.select_one("#id_organisation")["value"] == "Politiezone Gent"
    assert Replication.objects.count() == 2


# Who sees what, and withdrawing ------------------------------------------------------------


def test_nobody_sees_another_members_pending_replication(client, case, member, other_member):
    make_replication(case, member, organisation_name="Secret Force")
    client.force_login(other_member)

    assert "Secret Force" not in client.get(tried_url(case)).content.decode()
    assert "Secret Force" not in client.get(case.url).content.decode()


def test_a_member_withdraws_their_own_while_it_waits(member_client, case, member):
    replication = make_replication(case, member)

    response = member_client.post(
        reverse("contribute:withdraw_replication", args=[replication.pk])
    )

    assert response.status_code == 302
    replication.refresh_from_db()
    assert replication.status == Status.WITHDRAWN


def test_nobody_withdraws_another_members_replication(client, case, member, other_member):
    replication = make_replication(case, member)
    client.force_login(other_member)

    response = client.post(reverse("contribute:withdraw_replication", args=[replication.pk]))

    assert response.status_code == 404
    replication.refresh_from_db()
    assert replication.status == Status.PENDING


def test_a_decided_replication_cannot_be_withdrawn(member_client, case, member):
    replication = make_replication(case, member, status=Status.APPROVED)

    member_client.post(reverse("contribute:withdraw_replication", args=[replication.pk]))

    replication.refresh_from_db()
    assert replication.status == Status.APPROVED


# Moderation ------------------------------------------------------------------------------


def decide(client, replication, decision, comment=""):
    return client.post(
        reverse("replication_review:decide", args=[replication.pk]),
        {"decision": decision, "comment": comment},
    )


def test_members_cannot_see_or_decide_replications_in_the_admin(
    client, case, member, other_member
):
    replication = make_replication(case, member)
    other_member.is_staff = True  # admin access alone is not enough
    other_member.save()
    client.force_login(other_member)

    assert client.get(reverse("replication_review:index")).status_code in (302, 403)
    assert decide(client, replication, "approve").status_code in (302, 403)
    replication.refresh_from_db()
    assert replication.status == Status.PENDING


@pytest.mark.parametrize("who", ["moderator", "admin_user"])
def test_moderators_and_superusers_list_pending_replications(client, case, member, who, request):
    make_replication(case, member, organisation_name="Waiting Force")
    make_replication(case, member, organisation_name="Withdrawn Force", status=Status.WITHDRAWN)
    client.force_login(request.getfixturevalue(who))

    page = client.get(reverse("replication_review:index")).content.decode()

    assert "Waiting Force" in page and "Withdrawn Force" not in page
    withdrawn = client.get(reverse("replication_review:index"), {"status": "withdrawn"})
    assert "Withdrawn Force" in withdrawn.content.decode()


def test_approval_puts_it_on_the_case_and_emails_the_member_in_their_language(
    client, case, member, moderator, django_capture_on_commit_callbacks
):
    create_profile(member, "Ana")
    MemberProfile.objects.filter(user=member).update(language="nl")
    replication = make_replication(case, member, organisation_name="Politiezone Gent")
    version = library_version()
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        decide(client, replication, "approve", "Thank you, useful.")

    replication.refresh_from_db()
    assert replication.status == Status.APPROVED and replication.decided_by == moderator
    # The case's search entry and the library's cached counts follow (the one lifecycle).
    assert library_version() != version
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "goedgekeurd" in message.body and "Thank you, useful." in message.body
    client.logout()
    trail = html(client.get(case.url)).select_one(".replications")
    assert "Politiezone Gent" in text(trail)


def test_rejection_keeps_it_off_the_case_and_tells_the_member(
    client, case, member, moderator, django_capture_on_commit_callbacks
):
    replication = make_replication(case, member, organisation_name="Politiezone Gent")
    version = library_version()
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        decide(client, replication, "reject", "No source.")

    replication.refresh_from_db()
    assert replication.status == Status.REJECTED
    assert library_version() == version  # nothing public changed
    (message,) = mail.outbox
    assert "not accepted" in message.subject and "No source." in message.body
    assert "Politiezone Gent" not in text(html(client.get(case.url)).select_one(".replications"))


def test_a_withdrawn_replication_cannot_be_approved(client, case, member, moderator):
    replication = make_replication(case, member, status=Status.WITHDRAWN)
    client.force_login(moderator)

    decide(client, replication, "approve")

    replication.refresh_from_db()
    assert replication.status == Status.WITHDRAWN
    assert not mail.outbox


def test_merging_organisations_moves_the_replications_that_name_them(case, member):
    from cases.organisations import merge_organisations

    duplicate = OrganisationFactory(name="GMP duplicate")
    replication = make_replication(case, member, organisation=duplicate)

    merge_organisations(case.organisation, [duplicate])

    replication.refresh_from_db()
    assert replication.organisation == case.organisation
