"""The database engine's index: one row of folded text per published case.

The vendor-specific full-text structure sits beside it (migration 0001): an FTS5 table
on SQLite, a weighted tsvector column with a GIN index on PostgreSQL.
"""

from django.db import models


class SearchEntry(models.Model):
    page = models.OneToOneField(
        "cases.CaseStudyPage", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.TextField()
    summary = models.TextField(blank=True)
    lessons = models.TextField(blank=True)
    body = models.TextField(blank=True)
    taxonomy = models.TextField(blank=True, help_text="Themes, organisation, country, platforms")

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self):
        return self.title
