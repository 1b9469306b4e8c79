"""What members' contributions leave behind that must outlive a deleted draft: the images
they uploaded and the contributions they started, counted against their allowances
(cases/contribute/allowance.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ContributionUpload(models.Model):
    """An image a member uploaded through the contribution form.

    Pending while `page` is empty: stored at once (a re-displayed form carries it) but in no
    saved contribution yet. The row stays a day after its image is deleted, so removing an
    image does not give back the day's upload allowance, which counts each upload's bytes
    received or stored, whichever is more."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    page = models.ForeignKey(
        "cases.CaseStudyPage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    size = models.PositiveBigIntegerField(help_text="Bytes received.")
    stored_size = models.PositiveBigIntegerField(default=0, help_text="Bytes stored.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["member", "created_at"])]

    def __str__(self):
        return f"Upload {self.image_id} by {self.member_id}"


class ContributionStart(models.Model):
    """A member started a new contribution (saved its first draft). The daily limit counts
    these rows, which deleting the draft leaves in place.

    `form_key` is the one-time key of the new-contribution form that started it, unique per
    member: the same form posted again (Back then Enter, a double click) finds the draft it
    made, `page`, instead of starting another (cases/contribute/submissions.py)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    form_key = models.UUIDField(null=True, blank=True)
    page = models.ForeignKey(
        "cases.CaseStudyPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["member", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "form_key"], name="contribution_start_one_per_form_key"
            )
        ]

    def __str__(self):
        return f"Contribution started by {self.member_id}"


class KeptContribution(models.Model):
    """What a member typed into a contribution form that could not be saved as a draft (the
    daily limit of new contributions stopped it, or they switched the interface language in
    the middle), kept for them until they save or discard it (cases/contribute/kept.py).

    One per member for the new-contribution form (`page` empty) and one per member and
    contribution for an edit form. `data` holds the form's fields as posted (lists of
    strings), `images` the pending uploads the form had chosen, by slot ({"hero": 12}), so
    nothing but their own member can restore them and the clean-up keeps those images while
    this row lives."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        "cases.CaseStudyPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Reason(models.TextChoices):
        LIMIT = "limit", "The daily limit of new contributions"
        LANGUAGE = "language", "The member switched the interface language"

    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.LIMIT)
    data = models.JSONField(default=dict)
    images = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "page"], name="kept_contribution_per_page"),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(page__isnull=True),
                name="kept_contribution_one_new",
            ),
        ]

    def __str__(self):
        return f"Contribution kept for {self.member_id}"
