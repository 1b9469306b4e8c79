"""What members follow, how often they hear of it, and what they have been sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Follow(models.Model):
    """One thing a member follows. `value` is a country code or, for a search, the
    normalised query string of the search page (commonground/following/targets.py);
    themes and organisations are linked, so a renamed one stays followed."""

    class Kind(models.TextChoices):
        THEME = "theme", _("Theme")
        COUNTRY = "country", _("Country")
        ORGANISATION = "organisation", _("Organisation")
        SEARCH = "search", pgettext_lazy("a followed search", "Search")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    theme = models.ForeignKey("cases.Theme", null=True, blank=True, on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        "cases.Organisation", null=True, blank=True, on_delete=models.CASCADE
    )
    value = models.CharField(max_length=1000, blank=True)
    # kind and target in one string ("theme:12", "country:AU", "search:q=…"): unique per member.
    key = models.CharField(max_length=1030, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="following_one_follow_per_target")
        ]

    def __str__(self):
        return self.key

    def save(self, *args, **kwargs):
        self.key = self.make_key()
        super().save(*args, **kwargs)

    def make_key(self) -> str:
        target = {
            self.Kind.THEME: self.theme_id,
            self.Kind.ORGANISATION: self.organisation_id,
        }.get(self.kind, self.value)
        return f"{self.kind}:{target}"


class DigestSettings(models.Model):
    """How often a member hears of what is new in what they follow, and when they last did."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        OFF = "off", _("Off: no e-mails")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_settings"
    )
    frequency = models.CharField(
        _("digest e-mails"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    # When the member's digests start counting from: the first follow, then each digest sent.
    since = models.DateTimeField()
    last_digest_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"{self.user_id}: {self.frequency}"


class SentItem(models.Model):
    """Something a member has had in a digest: a case as it stood then (changed_at: its
    publication or its last substantial update), or a replication approved or a question or
    answer published on a case (item: its id; changed_at: when it became public). The same
    case and change, and the same replication or post, is never sent twice."""

    class Kind(models.TextChoices):
        CASE = "case", "case"
        REPLICATION = "replication", "replication"
        POST = "post", "question or answer"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey("cases.CaseStudyPage", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CASE)
    item = models.PositiveIntegerField(default=0)  # 0 for a case; else the replication or post
    changed_at = models.DateTimeField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "page", "kind", "item", "changed_at"], name="following_sent_once"
            )
        ]

    def __str__(self):
        what = self.page_id if self.kind == self.Kind.CASE else f"{self.kind} {self.item}"
        return f"{self.user_id}: {what} at {self.changed_at:%Y-%m-%d %H:%M}"


class CaseChange(models.Model):
    """What a digest reads a case's substance from: a fingerprint of the parts a reader acts
    on (commonground/following/changes.py), and when they last changed after publication."""

    page = models.OneToOneField(
        "cases.CaseStudyPage", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    fingerprint = models.CharField(max_length=64)
    updated_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"{self.page_id}: updated {self.updated_at or 'never'}"
