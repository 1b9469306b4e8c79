"""What may happen to a replication, and what each step sets off.

A member records one (at most settings.REPLICATIONS_PER_DAY a day, counted over 24 hours on
rows that withdrawing leaves in place) and may withdraw it while it waits; a moderator
approves or rejects it. Approval makes it part of the case's public trail, so the case's
search entry and the library's cached counts are refreshed through the one lifecycle
(search/lifecycle.py, by the cases_changed signal, as an organisation merge does). A member
withdraws only a waiting replication, which is in no trail, so nothing public changes then.
The member hears of a decision by e-mail, in their own language, through the queued mail path;
moderators hear of each new replication the same way (cases.moderators.tell_of_waiting).
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases import moderators
from cases.contribute.allowance import LimitReached, lock_member
from cases.models import Replication
from cases.signals import cases_changed
from commonground.base_url import public_url
from commonground.discussion.notices import display_name
from commonground.languages import written_for
from commonground.mail import safe_subject

Status = Replication.Status
EMAILED = {
    Status.APPROVED: _("Your replication is published"),
    Status.REJECTED: _("Your replication was not accepted"),
}


def check_allowance(user) -> None:
    """Refuses (LimitReached) a member who has recorded today's allowance of replications."""
    limit = settings.REPLICATIONS_PER_DAY
    recent = Replication.objects.filter(
        member=user, created_at__gte=timezone.now() - timedelta(days=1)
    )
    if recent.count() >= limit:
        oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
        raise LimitReached(
            ngettext(
                "You can record at most %(limit)s replication a day.",
                "You can record at most %(limit)s replications a day.",
                limit,
            )
            % {"limit": limit},
            resets_at=oldest + timedelta(days=1) if oldest else None,
        )


@transaction.atomic
def record(replication: Replication, user) -> Replication:
    """Saves a new replication by `user`, pending review, within their daily allowance."""
    lock_member(user)
    check_allowance(user)
    replication.member = user
    replication.status = Status.PENDING
    replication.save()
    transaction.on_commit(partial(tell_moderators, replication.pk), robust=True)
    return replication


WAITING_SUBJECT = _("A replication of “%(title)s” by %(name)s awaits review")


def tell_moderators(replication_id: int) -> None:
    """Each moderator e-mailed once about a new replication, if it still waits."""
    replication = (
        Replication.objects.pending()
        .select_related("page", "member__profile")
        .filter(pk=replication_id)
        .first()
    )
    if replication is None:
        return
    name = display_name(replication.member) if replication.member else ""
    moderators.tell_of_waiting(
        WAITING_SUBJECT,
        {"title": replication.page.title, "name": name},
        "cases/replications/email/waiting.txt",
        {"replication": replication, "title": replication.page.title, "name": name},
        reverse("replication_review:index"),
        author=replication.member,
    )


def _trail_changed(replication: Replication) -> None:
    cases_changed.send(sender=Replication, page_ids=[replication.page_id])


@transaction.atomic
def decide(replication: Replication, status: str, moderator, comment: str = "") -> bool:
    """A moderator approves or rejects a pending replication. False when it no longer waits
    (withdrawn, or decided by someone else meanwhile)."""
    if status not in EMAILED:
        raise ValueError(status)
    updated = Replication.objects.filter(pk=replication.pk, status=Status.PENDING).update(
        status=status, decided_by=moderator, decided_at=timezone.now(), comment=comment
    )
    if not updated:
        return False
    replication.refresh_from_db()
    if status == Status.APPROVED:
        _trail_changed(replication)
    transaction.on_commit(partial(email_member, replication.pk), robust=True)
    return True


@transaction.atomic
def withdraw(replication: Replication, user) -> bool:
    """The member takes back their own replication while it waits; False once decided."""
    if replication.member_id != user.pk:
        raise PermissionDenied
    # Only a waiting replication, which is in no trail: nothing public changes.
    updated = Replication.objects.filter(pk=replication.pk, status=Status.PENDING).update(
        status=Status.WITHDRAWN, decided_at=timezone.now()
    )
    return bool(updated)


def email_member(replication_id: int) -> None:
    replication = (
        Replication.objects.select_related("page", "member").filter(pk=replication_id).first()
    )
    if replication is None or replication.status not in EMAILED:
        return
    member = replication.member
    if member is None or not member.email:
        return
    page = replication.page
    context = {
        "replication": replication,
        "title": page.title,
        "public_url": public_url(page.url) if page.live and page.url else "",
        "mine_url": public_url(reverse("contribute:tried", args=[page.pk])),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "approved": replication.status == Status.APPROVED,
    }
    with written_for(user=member):
        subject = f"[{context['site_name']}] {EMAILED[replication.status]}: {page.title}"
        send_mail(
            subject=safe_subject(subject),
            message=render_to_string("cases/replications/email/decision.txt", context),
            from_email=None,
            recipient_list=[member.email],
        )


def replications_data(user, base_url: str) -> list[dict]:
    """The member's replications for their data download, whatever their state."""
    replications = (
        Replication.objects.filter(member=user)
        .select_related("page", "organisation")
        .order_by("created_at", "pk")
    )
    return [
        {
            "case": item.page.title,
            "case_url": base_url + item.page.url if item.page.live and item.page.url else None,
            "organisation": item.organisation_display,
            "country": item.country.code or "",
            "tried": item.tried_iso,
            "changes": item.changes,
            "result": item.result,
            "evidence": item.evidence,
            "source_url": item.source_url,
            "state": item.status,
            "moderator_comment": item.comment,
            "created_at": item.created_at,
            "decided_at": item.decided_at,
        }
        for item in replications
    ]
