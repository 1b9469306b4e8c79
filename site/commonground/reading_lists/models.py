"""A member's reading lists: "Saved" (the default, where a card's Save button puts a case)
and lists the member names. Private to their owner; a list can be shared read-only through an
unguessable link (`share_token`), which a new token revokes."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import CaseStudyPage
from commonground.text import SingleLineCharField

MAX_LISTS = 50  # lists a member may have, "Saved" included
MAX_CASES = 500  # cases a list may hold
NAME_LENGTH = 100


class ReadingList(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_lists"
    )
    # Empty for the default list, whose name ("Saved") is shown in the reader's language.
    name = SingleLineCharField(max_length=NAME_LENGTH, blank=True)
    is_default = models.BooleanField(default=False)
    share_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cases = models.ManyToManyField(CaseStudyPage, through="ReadingListItem", related_name="+")

    class Meta:
        ordering = ["-is_default", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_default=True), name="one_default_list_per_member"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return str(_("Saved")) if self.is_default else self.name

    def start_sharing(self) -> None:
        """A new link: any earlier link stops working."""
        self.share_token = secrets.token_urlsafe(32)
        self.save(update_fields=["share_token"])

    def stop_sharing(self) -> None:
        self.share_token = None
        self.save(update_fields=["share_token"])


class ReadingListItem(models.Model):
    reading_list = models.ForeignKey(ReadingList, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(
        CaseStudyPage, on_delete=models.CASCADE, related_name="reading_list_items"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["reading_list", "case"], name="case_once_per_list"),
        ]

    def __str__(self):
        return f"{self.reading_list}: {self.case_id}"
