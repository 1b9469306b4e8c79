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
    these rows, which deleting the draft leaves in place."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["member", "created_at"])]

    def __str__(self):
        return f"Contribution started by {self.member_id}"
