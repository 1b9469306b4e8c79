"""Daily counters, one row per day and thing counted: never a row per search or view, and
nothing that names a visitor (no address, no user, no session)."""

from django.db import models


class SearchCount(models.Model):
    """Searches for one normalised query, in one interface language, on one day."""

    day = models.DateField()
    query = models.CharField(max_length=255)
    language = models.CharField(max_length=10)
    searches = models.PositiveIntegerField(default=0)
    empty = models.PositiveIntegerField(default=0)  # of those, how many found nothing

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "query", "language"], name="analytics_one_search_row_a_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="analytics_search_day")]
        permissions = [("view_search_analytics", "Can see what people look for")]

    def __str__(self):
        return f"{self.day} {self.query!r} ({self.language}): {self.searches}"


class CaseViewCount(models.Model):
    """Views of one case's page on one day."""

    day = models.DateField()
    page = models.ForeignKey("cases.CaseStudyPage", on_delete=models.CASCADE, related_name="+")
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "page"], name="analytics_one_view_row_a_day")
        ]
        indexes = [models.Index(fields=["day"], name="analytics_view_day")]

    def __str__(self):
        return f"{self.day} {self.page_id}: {self.views}"
