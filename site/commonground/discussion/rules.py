"""The rules of the discussion: who may post and how often, what waits for a moderator,
what reports do, who may edit, and who shows the verified practitioner badge."""

from datetime import timedelta

from allauth.account.models import EmailAddress

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.cache import bump_library_version
from cases.review_queue import moderates
from commonground.discussion import notices
from commonground.discussion.models import Post, PractitionerDomain, Report

Status = Post.Status


def _setting(name, default):
    return getattr(settings, name, default)


class Refused(Exception):
    """A post or message the rules refuse, with the message to show."""


def check_post_allowance(user) -> None:
    """DISCUSSION_POSTS_PER_HOUR and DISCUSSION_POSTS_PER_DAY, counted over the member's
    posts made in the last hour and day (a deleted post no longer counts)."""
    now = timezone.now()
    mine = Post.objects.filter(author=user)
    per_hour = _setting("DISCUSSION_POSTS_PER_HOUR", 5)
    per_day = _setting("DISCUSSION_POSTS_PER_DAY", 20)
    if mine.filter(created_at__gte=now - timedelta(hours=1)).count() >= per_hour:
        raise Refused(
            _(
                "You have posted %(count)s times in the last hour, the most allowed. "
                "Please try again later."
            )
            % {"count": per_hour}
        )
    if mine.filter(created_at__gte=now - timedelta(days=1)).count() >= per_day:
        raise Refused(
            _(
                "You have posted %(count)s times today, the most allowed. "
                "Please try again tomorrow."
            )
            % {"count": per_day}
        )


def trusted(user) -> bool:
    """Moderators, and members a moderator has approved a post of, post without review."""
    return moderates(user) or Post.objects.filter(author=user, status=Status.PUBLISHED).exists()


@transaction.atomic
def add_post(user, case, body: str, question: Post | None = None) -> Post:
    """A new question (question None) or answer. Published at once for a trusted member,
    else waiting for a moderator."""
    if question is not None and question.question_id is not None:
        raise Refused(_("Answers cannot be replied to."))
    check_post_allowance(user)
    post = Post.objects.create(
        case=case,
        question=question,
        author=user,
        body=body,
        status=Status.PUBLISHED if trusted(user) else Status.PENDING,
    )
    if post.status == Status.PUBLISHED:
        transaction.on_commit(lambda: notices.tell_of_post(post))
    else:
        transaction.on_commit(lambda: notices.tell_moderators(post.pk), robust=True)
    return post


def edit_window() -> timedelta:
    return timedelta(minutes=_setting("DISCUSSION_EDIT_MINUTES", 15))


def may_edit(user, post: Post) -> bool:
    return post.author_id == user.pk and timezone.now() - post.created_at <= edit_window()


@transaction.atomic
def review(post: Post, approve: bool) -> None:
    """A moderator's decision on a waiting or reported post."""
    first_publication = approve and post.status != Status.PUBLISHED
    post.status = Status.PUBLISHED if approve else Status.REJECTED
    post.reported = False
    post.reviewed_at = timezone.now()
    post.save(update_fields=["status", "reported", "reviewed_at"])
    if approve:
        post.reports.all().delete()  # seen and kept: new reports count afresh
    if first_publication:
        transaction.on_commit(lambda: notices.tell_of_post(post))


def reports_to_hide() -> int:
    return _setting("DISCUSSION_REPORTS_TO_HIDE", 3)


@transaction.atomic
def report(user, post: Post, reason: str, details: str = "") -> bool:
    """Record a member's report (once per member and post). Returns whether it was new.
    Reported by reports_to_hide() distinct members, the post is hidden pending review."""
    _report, created = Report.objects.get_or_create(
        post=post, reporter=user, defaults={"reason": reason, "details": details}
    )
    if (
        created
        and post.reports.count() >= reports_to_hide()
        and Post.objects.filter(pk=post.pk, reported=False).update(reported=True)
    ):
        bump_library_version()  # the hidden post leaves the case page (no signal: update)
        transaction.on_commit(lambda: notices.tell_moderators(post.pk), robust=True)
    return created


def held() -> Q:
    """Waiting first posts, and published posts hidden by reports: what a moderator decides."""
    return Q(status=Status.PENDING) | Q(reported=True, status=Status.PUBLISHED)


def reported_shown() -> Q:
    """Published posts with at least one report, not yet hidden."""
    reports = Report.objects.filter(post=OuterRef("pk"))
    return Q(Exists(reports), status=Status.PUBLISHED, reported=False)


def awaiting_review():
    """Waiting first posts and posts hidden by reports, oldest first."""
    return (
        Post.objects.filter(held())
        .select_related("author__profile", "case", "question")
        .prefetch_related("reports")
        .order_by("created_at")
    )


def posts_data(user, base_url: str) -> list[dict]:
    """The member's questions and answers for their data download, whatever their state."""
    posts = Post.objects.filter(author=user).select_related("case").order_by("created_at", "pk")
    return [
        {
            "kind": "question" if post.is_question else "answer",
            "case": post.case.title,
            "case_url": base_url + post.case.url if post.case.live and post.case.url else None,
            "text": post.body,
            "state": post.status,
            "hidden_by_reports": post.reported,
            "created_at": post.created_at,
            "edited_at": post.edited_at,
            "reviewed_at": post.reviewed_at,
        }
        for post in posts
    ]


# The verified practitioner badge ---------------------------------------------------------


def domain_matches(address_domain: str, listed: str) -> bool:
    """The listed domain itself or a subdomain of it: police.uk matches met.police.uk, never
    police.uk.evil.com or evilpolice.uk."""
    address_domain = address_domain.lower().rstrip(".")
    return address_domain == listed or address_domain.endswith("." + listed)


def verified_practitioners(user_ids) -> set[int]:
    """Of these members, those whose verified primary address is at a listed domain (two
    queries however many members)."""
    user_ids = set(user_ids)
    if not user_ids:
        return set()
    domains = list(PractitionerDomain.objects.values_list("domain", flat=True))
    if not domains:
        return set()
    addresses = EmailAddress.objects.filter(
        user_id__in=user_ids, primary=True, verified=True
    ).values_list("user_id", "email")
    return {
        user_id
        for user_id, email in addresses
        if any(domain_matches(email.rpartition("@")[2], d) for d in domains)
    }


def is_verified_practitioner(user) -> bool:
    return user.pk in verified_practitioners([user.pk])
