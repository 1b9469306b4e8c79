"""“We tried this too”: a member records that their force tried a published case, and how it
went. Moderated like contributions: a new replication waits for a moderator, who approves or
rejects it in the admin (cases/replications/admin.py); the member may withdraw it while it
waits. Only approved replications are public: they form the case's evidence trail."""

from django_countries.fields import CountryField

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import limits
from cases.choices import DatePrecision, Evidence, Result
from cases.dates import to_iso, to_text


class ReplicationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Replication.Status.APPROVED)

    def pending(self):
        return self.filter(status=Replication.Status.PENDING)


class Replication(models.Model):
    class Status(models.TextChoices):
        # Translators: a replication waits for a moderator.
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        # Translators: a moderator turned a replication down.
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    page = models.ForeignKey(
        "cases.CaseStudyPage", on_delete=models.CASCADE, related_name="replications"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The organisation as the member typed it, and the known one it matched, if any (a new
    # name makes no Organisation: only published cases propose organisations).
    organisation_name = models.CharField(max_length=limits.ORGANISATION)
    organisation = models.ForeignKey(
        "cases.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    country = CountryField()
    tried_on = models.DateField()
    tried_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.YEAR
    )
    changes = models.TextField(max_length=limits.REPLICATION_CHANGES)
    result = models.CharField(max_length=20, choices=Result.choices)
    evidence = models.CharField(max_length=30, choices=Evidence.choices)
    source_url = models.URLField(max_length=limits.SOURCE_URL, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    comment = models.TextField(blank=True, help_text="The moderator's note to the member.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ReplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-tried_on", "-pk"]
        indexes = [
            models.Index(fields=["page", "status"]),
            models.Index(fields=["member", "created_at"]),
        ]
        verbose_name = _("replication")
        verbose_name_plural = _("replications")

    def __str__(self):
        return f"{self.organisation_name} tried {self.page_id} ({self.status})"

    @property
    def anchor(self) -> str:
        """The id of its entry on the case page."""
        return f"replication-{self.pk}"

    @property
    def organisation_display(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name

    @property
    def tried_iso(self) -> str:
        return to_iso(self.tried_on, self.tried_precision)

    @property
    def tried_text(self) -> str:
        return to_text(self.tried_on, self.tried_precision)


# What listings, search documents, the API and exports read of a case's approved
# replications, as expressions on CaseStudyPage rows (one query for any number of cases).
TRIED = "yes"  # the one value of the library's "Tried elsewhere" facet


def approved_count():
    """How many approved replications a case has (0 for none)."""
    counts = (
        Replication.objects.approved()
        .filter(page=OuterRef("pk"))
        .order_by()
        .values("page")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


def tried_elsewhere():
    """TRIED for a case with an approved replication, else ""."""
    approved = Replication.objects.approved().filter(page=OuterRef("pk"))
    return Case(When(Exists(approved), then=Value(TRIED)), default=Value(""))
