"""Posts (questions and their answers) on a case, reports of posts, messages to a case's
contributor, the notices a member stopped, and the e-mail domains of verified practitioners."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet

BODY_LENGTH = 4000


class Post(models.Model):
    """A question on a case (question is None) or an answer to one. One level only: an
    answer's question is always a question."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    case = models.ForeignKey(
        "cases.CaseStudyPage", on_delete=models.CASCADE, related_name="discussion_posts"
    )
    question = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_posts"
    )
    body = models.TextField(max_length=BODY_LENGTH)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Hidden pending review because enough members reported it (rules.REPORTS_TO_HIDE).
    reported = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "status"]), models.Index(fields=["status"])]

    def __str__(self):
        return self.body[:60]

    @property
    def is_question(self) -> bool:
        return self.question_id is None

    @property
    def anchor(self) -> str:
        return f"post-{self.pk}"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abusive or offensive")
        PERSONAL = "personal", _("Personal or confidential information")
        OFF_TOPIC = "off-topic", _("Off topic")
        OTHER = "other", _("Something else")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_member")
        ]

    def __str__(self):
        return self.get_reason_display()


class ContactMessage(models.Model):
    """A member's message to a case's contributor, sent through the site: neither sees the
    other's address. The contributor answers through a signed link (views.reply)."""

    case = models.ForeignKey("cases.CaseStudyPage", on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(max_length=BODY_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    replies = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return self.body[:60]


class StoppedNotice(models.Model):
    """A member asked, through a notice's link, for no more notices about one thread: the
    questions on a case they contributed ("case:<id>") or the answers to a question
    ("question:<id>")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="one_stop_per_thread")
        ]

    def __str__(self):
        return self.thread


@register_snippet
class PractitionerDomain(models.Model):
    """An e-mail domain of police or government bodies: a member whose verified primary
    address is at it (or a subdomain of it) shows the "Verified practitioner" badge."""

    domain = models.CharField(
        _("domain"),
        max_length=253,
        unique=True,
        help_text=_("For example police.uk: addresses at it and at its subdomains count."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("practitioner e-mail domain")
        verbose_name_plural = _("practitioner e-mail domains")

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().strip(".").lower()
        super().save(*args, **kwargs)
