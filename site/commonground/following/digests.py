"""Digests: to each member who is due, one e-mail with the cases published or substantially
updated (commonground/following/changes.py) since their last digest that match any of their
follows, and the replications approved and the questions and answers published since then on
any case that matches them (new or not).

- Each follow is a search (commonground/following/targets.py) asked of the one search
  service, once per run however many members follow it.
- A case appears once per digest, under the first of the member's follows that finds it, and
  never again for the same change (SentItem); a replication or a question or answer appears
  once, in a section of its own, and never again; nothing is sent when nothing is new.
- Members are done a batch at a time, in one transaction: each member's sent items recorded
  and their digest marked sent (on the condition that no other run marked it first); the
  e-mails are queued for delivery (commonground/mail.py) once that commits. A run killed
  half-way leaves the members of the batches it had not committed due, and the next run
  picks them up; a second run finds nobody due.
- A digest's window starts OVERLAP before the previous one was sent, so a case the search
  index had not caught up with then is found now; what was sent is still never sent twice.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Exists, F, Min, OuterRef, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext

from cases.models import CaseStudyPage, Replication
from commonground import tokens
from commonground.base_url import public_url
from commonground.discussion.models import Post
from commonground.following import targets
from commonground.following.models import CaseChange, DigestSettings, Follow, SentItem
from commonground.languages import notice_language
from commonground.mail import safe_subject
from search.service import get_search_service

logger = logging.getLogger(__name__)
Frequency = DigestSettings.Frequency
PERIODS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
# A scheduled run starts a little later or earlier each time: a member whose last digest
# went 23 h 58 min ago is due for the daily one.
SLACK = timedelta(minutes=10)
OVERLAP = timedelta(hours=1)
LOOKBACK = timedelta(days=31)  # the longest window, e.g. after digests were off for a while
MAX_CASES = 40  # cases in one digest; the rest are counted, with a link to the following page
MAX_EXTRAS = 40  # replications, questions and answers in one digest, likewise
BATCH = 200  # members read together


@dataclass
class Change:
    page_id: int
    changed_at: datetime
    updated: bool  # a substantial update rather than a first publication


@dataclass
class Extra:
    """A replication approved, or a question or answer published, on a case."""

    kind: str  # SentItem.Kind.REPLICATION or SentItem.Kind.POST
    pk: int
    page_id: int
    at: datetime  # when it became public
    by: int | None  # the member who wrote it: their own digest leaves it out

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.pk)


@dataclass
class Report:
    due: int = 0
    sent: int = 0
    nothing_new: int = 0
    skipped: int = 0  # marked sent by another run meanwhile
    cases: int = 0  # cases in the digests sent
    extras: int = 0  # replications, questions and answers in the digests sent

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def due_settings(now: datetime):
    """The members a digest is due for: digests on, at least a day or a week since the last
    one (or none yet), an active account with an address and at least one follow."""
    period = Q(last_digest_at__isnull=True)
    for frequency, length in PERIODS.items():
        period |= Q(frequency=frequency, last_digest_at__lte=now - length + SLACK)
    return (
        DigestSettings.objects.filter(period, frequency__in=list(PERIODS))
        .filter(user__is_active=True)
        .exclude(user__email="")
        .filter(Exists(Follow.objects.filter(user_id=OuterRef("user_id"))))
    )


def changes_since(floor: datetime) -> dict[int, Change]:
    """Every live case first published or substantially updated after `floor`: its latest
    such change."""
    changes = {
        pk: Change(pk, at, updated=False)
        for pk, at in CaseStudyPage.objects.live()
        .filter(first_published_at__gt=floor)
        .values_list("pk", "first_published_at")
    }
    updates = CaseChange.objects.filter(updated_at__gt=floor, page__live=True).values_list(
        "page_id", "updated_at"
    )
    for pk, at in updates:
        if pk not in changes or at > changes[pk].changed_at:
            changes[pk] = Change(pk, at, updated=True)
    return changes


def extras_since(floor: datetime) -> list[Extra]:
    """Every replication approved, and every question or answer published (and not hidden by
    reports, nor an answer to a question that is), on a live case after `floor`, newest
    first. A post is public from its approval, or from its writing when it needed none."""
    replications = (
        Replication.objects.approved()
        .filter(decided_at__gt=floor, page__live=True)
        .values_list("pk", "page_id", "decided_at", "member_id")
    )
    posts = (
        Post.objects.filter(status=Post.Status.PUBLISHED, reported=False, case__live=True)
        .filter(
            Q(question__isnull=True)
            | Q(question__status=Post.Status.PUBLISHED, question__reported=False)
        )
        .annotate(public_at=Coalesce(F("reviewed_at"), F("created_at")))
        .filter(public_at__gt=floor)
        .values_list("pk", "case_id", "public_at", "author_id")
    )
    extras = [Extra(SentItem.Kind.REPLICATION, *row) for row in replications]
    extras += [Extra(SentItem.Kind.POST, *row) for row in posts]
    extras.sort(key=lambda extra: extra.at, reverse=True)
    return extras


@dataclass
class Run:
    """What one run reads once and every member's digest shares: the changes, which of them
    each followed search finds, the cases' cards and the follows' names per language; and the
    new replications, questions and answers on any case, found through the same searches."""

    now: datetime
    changes: dict[int, Change]
    extras: list[Extra] = field(default_factory=list)
    matches: dict[str, list[int]] = field(default_factory=dict)
    names: dict[tuple[str, str], dict] = field(default_factory=dict)
    cards: dict[int, CaseStudyPage] = field(default_factory=dict)
    items: dict[tuple[int, bool, str], dict] = field(default_factory=dict)

    def __post_init__(self):
        self.base_url = public_url()
        self.window = max(CaseStudyPage.objects.live().count(), 1)
        self.extras_by_page = defaultdict(list)
        for extra in self.extras:
            self.extras_by_page[extra.page_id].append(extra)
        self.extra_objects = _extra_objects(self.extras)
        pages = (
            CaseStudyPage.objects.filter(pk__in=list(set(self.changes) | set(self.extras_by_page)))
            .select_related("organisation")
            .only(
                "pk", "title", "summary", "country", "language", "url_path", "organisation__name"
            )
        )
        for page in pages:
            page.absolute_url = self.base_url + page.url
            self.cards[page.pk] = page

    def matching(self, follow: Follow) -> list[int]:
        """The cases the follow's search finds that changed or have new replications, questions
        or answers, most recently changed first (the others after them). The search is asked
        for every match (Elasticsearch answers at most its window of 10,000, newest first),
        then kept to those cases."""
        if follow.key not in self.matches:
            ids = get_search_service().matching_ids(targets.search_query(follow), self.window)
            changed = [pk for pk in ids if pk in self.changes and pk in self.cards]
            changed.sort(key=lambda pk: self.changes[pk].changed_at, reverse=True)
            others = [
                pk
                for pk in ids
                if pk in self.extras_by_page and pk not in self.changes and pk in self.cards
            ]
            found = changed + others
            self.matches[follow.key] = found
        return self.matches[follow.key]

    def item(self, change: Change) -> dict:
        """A case as a digest lists it, in the active language: {"html", "text"}, rendered
        once per run and language however many digests list it."""
        key = (change.page_id, change.updated, get_language())
        if key not in self.items:
            context = {"page": self.cards[change.page_id], "updated": change.updated}
            self.items[key] = {
                "html": mark_safe(render_to_string("following/email/item.html", context)),
                "text": render_to_string("following/email/item.txt", context),
            }
        return self.items[key]

    def name(self, follow: Follow) -> dict:
        key = (follow.key, get_language())
        if key not in self.names:
            self.names[key] = targets.describe(follow)
        return self.names[key]

    def sections(self, digest: DigestSettings, follows, sent: dict[int, datetime]):
        """[(follow, [Change])] for the member: each new change once, under the first follow
        that finds it, at most MAX_CASES in all; and how many more there were."""
        sections, seen, more = [], set(), 0
        for follow in follows:
            picked = []
            for pk in self.matching(follow):
                change = self.changes.get(pk)
                if change is None or pk in seen or change.changed_at <= digest.since:
                    continue
                if pk in sent and sent[pk] >= change.changed_at:
                    continue
                seen.add(pk)
                if len(seen) > MAX_CASES:
                    more += 1
                else:
                    picked.append(change)
            if picked:
                sections.append((follow, picked))
        return sections, more

    def extras_for(self, digest: DigestSettings, follows, sent: set[tuple[str, int]]):
        """[Extra] for the member, newest first: each new replication, question or answer on
        a case any of their follows finds, once, unless sent before or their own; at most
        MAX_EXTRAS, and how many more there were (like cases, never sent later)."""
        picked = {}
        for follow in follows:
            for pk in self.matching(follow):
                for extra in self.extras_by_page.get(pk, ()):
                    if (
                        extra.at > digest.since
                        and extra.key not in sent
                        and extra.by != digest.user_id
                    ):
                        picked[extra.key] = extra
        newest = sorted(picked.values(), key=lambda extra: extra.at, reverse=True)
        return newest[:MAX_EXTRAS], max(len(newest) - MAX_EXTRAS, 0)

    def extra_item(self, extra: Extra) -> dict:
        """A replication, question or answer as a digest lists it, in the active language:
        {"html", "text"}, rendered once per run and language."""
        key = (extra.kind, extra.pk, get_language())
        if key not in self.items:
            obj = self.extra_objects[extra.key]
            page = self.cards[extra.page_id]
            context = {
                "kind": extra.kind,
                "item": obj,
                "page": page,
                "url": f"{page.absolute_url}#{obj.anchor}",
            }
            self.items[key] = {
                "html": mark_safe(render_to_string("following/email/extra.html", context)),
                "text": render_to_string("following/email/extra.txt", context),
            }
        return self.items[key]


def _extra_objects(extras: list[Extra]) -> dict[tuple[str, int], object]:
    """The replications and posts the extras name, read once per run."""
    ids = defaultdict(list)
    for extra in extras:
        ids[extra.kind].append(extra.pk)
    objects = {}
    if ids[SentItem.Kind.REPLICATION]:
        for replication in Replication.objects.filter(
            pk__in=ids[SentItem.Kind.REPLICATION]
        ).select_related("organisation"):
            objects[(SentItem.Kind.REPLICATION, replication.pk)] = replication
    if ids[SentItem.Kind.POST]:
        for post in Post.objects.filter(pk__in=ids[SentItem.Kind.POST]).only(
            "pk", "question_id", "body"
        ):
            objects[(SentItem.Kind.POST, post.pk)] = post
    return objects


def send_digests(now: datetime | None = None, batch: int = BATCH) -> Report:
    """Send every digest that is due (see the module docstring)."""
    now = now or timezone.now()
    report = Report()
    due = due_settings(now)
    ids = list(due.order_by("pk").values_list("pk", flat=True))
    report.due = len(ids)
    if not ids:
        return report
    floor = max(due.aggregate(Min("since"))["since__min"], now - LOOKBACK)
    changes, extras = changes_since(floor), extras_since(floor)
    if not changes and not extras:
        report.nothing_new = len(ids)
        return report
    run = Run(now, changes, extras)
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        _send_batch(run, due.filter(pk__in=chunk), report)
    return report


def _send_batch(run: Run, due, report: Report) -> None:
    members = list(due.select_related("user", "user__profile").order_by("pk"))
    user_ids = [m.user_id for m in members]
    follows = defaultdict(list)
    for follow in Follow.objects.filter(user_id__in=user_ids).select_related(
        "theme", "organisation"
    ):
        follows[follow.user_id].append(follow)
    sent = defaultdict(dict)
    for user_id, page_id, changed_at in SentItem.objects.filter(
        user_id__in=user_ids, kind=SentItem.Kind.CASE, page_id__in=list(run.changes)
    ).values_list("user_id", "page_id", "changed_at"):
        if changed_at > sent[user_id].get(page_id, changed_at - timedelta(1)):
            sent[user_id][page_id] = changed_at
    sent_extras = defaultdict(set)
    if run.extras:
        for user_id, kind, item in (
            SentItem.objects.filter(user_id__in=user_ids, page_id__in=list(run.extras_by_page))
            .exclude(kind=SentItem.Kind.CASE)
            .values_list("user_id", "kind", "item")
        ):
            sent_extras[user_id].add((kind, item))
    prepared = []
    for member in members:
        member_follows = follows[member.user_id]
        sections, more = run.sections(member, member_follows, sent[member.user_id])
        extras, more_extras = run.extras_for(member, member_follows, sent_extras[member.user_id])
        if not sections and not extras:
            report.nothing_new += 1
            continue
        message = digest_message(run, member, sections, more, extras, more_extras)
        prepared.append((member, sections, extras, message))
    _mark_sent(run, prepared, report)


def _mark_sent(run: Run, prepared, report: Report) -> None:
    """In one transaction for the batch: mark each member's digest sent and record its items,
    then queue the e-mails once that commits. A member another run marked first is skipped
    (nothing recorded, nothing sent)."""
    messages, rows = [], []
    with transaction.atomic():
        for member, sections, extras, message in prepared:
            marked = (
                DigestSettings.objects.filter(pk=member.pk, last_digest_at=member.last_digest_at)
                if member.last_digest_at
                else DigestSettings.objects.filter(pk=member.pk, last_digest_at__isnull=True)
            )
            if not marked.update(last_digest_at=run.now, since=run.now - OVERLAP):
                report.skipped += 1
                continue
            changes = [change for _, section in sections for change in section]
            rows += [
                (member.user_id, change.page_id, SentItem.Kind.CASE, 0, change.changed_at)
                for change in changes
            ]
            rows += [
                (member.user_id, extra.page_id, extra.kind, extra.pk, extra.at) for extra in extras
            ]
            messages.append(message)
            report.sent += 1
            report.cases += len(changes)
            report.extras += len(extras)
        record_sent(rows, run.now)
        transaction.on_commit(partial(send_all, messages), robust=True)


def record_sent(rows: list[tuple[int, int, str, int, datetime]], now: datetime) -> None:
    """SentItem rows (user, page, kind, item, changed_at), in one statement run for all of them: a
    digest run records hundreds of thousands, which bulk_create would spend most of the
    run's time preparing. Both SQLite and PostgreSQL take ON CONFLICT DO NOTHING."""
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(SentItem._meta.db_table)
    sent_at = ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (user_id, page_id, kind, item, changed_at, sent_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [
                (user, page, str(kind), item, ops.adapt_datetimefield_value(at), sent_at)
                for user, page, kind, item, at in rows
            ],
        )


def send_all(messages) -> None:
    """Queue the e-mails (commonground/mail.py) through one connection."""
    if messages:
        get_connection().send_messages(messages)


def digest_message(
    run: Run, member: DigestSettings, sections, more: int, extras=(), more_extras: int = 0
):
    """The e-mail, in the member's language: plain text and HTML, every link absolute, with
    one-click unsubscribe headers (RFC 8058) and a stop link per follow."""
    user = member.user
    base = run.base_url
    off_url = base + reverse(
        "following:digests_off", args=[tokens.make(tokens.DIGESTS_OFF, u=user.pk)]
    )
    # Their stored language, else the site's: never whatever happens to be active in the
    # process that sends (a worker, a command run by someone reading another language).
    with translation.override(notice_language(user)):
        cases = sum(len(changes) for _, changes in sections) + more
        context = {
            "site_name": settings.WAGTAIL_SITE_NAME,
            "base_url": base,
            "daily": member.frequency == Frequency.DAILY,
            "language": get_language(),
            "sections": [
                {
                    "follow": run.name(follow),
                    "follow_url": base + run.name(follow)["url"],
                    "stop_url": base
                    + reverse(
                        "following:stop",
                        args=[tokens.make(tokens.STOP_FOLLOW, u=user.pk, f=follow.pk)],
                    ),
                    "cases": [run.item(change) for change in changes],
                }
                for follow, changes in sections
            ],
            "more": more,
            "extras": [run.extra_item(extra) for extra in extras],
            "more_extras": more_extras,
            "following_url": base + reverse("following:mine"),
            "off_url": off_url,
        }
        subject = digest_subject(cases, len(extras) + more_extras)
        message = EmailMultiAlternatives(
            subject=safe_subject(f"[{settings.WAGTAIL_SITE_NAME}] {subject}"),
            body=render_to_string("following/email/digest.txt", context),
            to=[user.email],
            headers={
                "List-Unsubscribe": f"<{off_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(
            render_to_string("following/email/digest.html", context), "text/html"
        )
    return message


def digest_subject(cases: int, others: int) -> str:
    """What is new, counted: cases, and replications, questions and answers, each in a whole
    sentence for translators. Plural forms follow the number of cases; `others` takes the
    singular only at 1 in the site's five languages (none has another form above 1)."""
    if not others:
        return ngettext(
            "%(count)s new case in what you follow",
            "%(count)s new cases in what you follow",
            cases,
        ) % {"count": cases}
    if not cases:
        return ngettext(
            "%(count)s new replication, question or answer in what you follow",
            "%(count)s new replications, questions or answers in what you follow",
            others,
        ) % {"count": others}
    if others == 1:
        template = ngettext(
            "%(cases)s new case and %(others)s new replication, question or answer in what "
            "you follow",
            "%(cases)s new cases and %(others)s new replication, question or answer in what "
            "you follow",
            cases,
        )
    else:
        template = ngettext(
            "%(cases)s new case and %(others)s new replications, questions or answers in what "
            "you follow",
            "%(cases)s new cases and %(others)s new replications, questions or answers in "
            "what you follow",
            cases,
        )
    return template % {"cases": cases, "others": others}
