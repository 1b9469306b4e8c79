"""The database engine's index: one row of folded, stemmed text per published case.

The vendor-specific full-text structure sits beside it (migrations 0001 and 0003): an FTS5
table on SQLite, a weighted tsvector column with a GIN index on PostgreSQL.
"""

from django.db import models

from cases.models import CaseStudyPage


class SearchEntry(models.Model):
    page = models.OneToOneField(
        "cases.CaseStudyPage", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.TextField()
    summary = models.TextField(blank=True)
    lessons = models.TextField(blank=True)
    body = models.TextField(blank=True)
    taxonomy = models.TextField(blank=True, help_text="Themes, platforms, country")
    themes = models.TextField(blank=True, help_text="Theme names again, weighted on their own")
    organisation = models.TextField(blank=True, help_text="Its names and aliases as written")
    title_words = models.TextField(blank=True, help_text="The title's words as written")

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self):
        return self.title


class PendingChange(models.Model):
    """A case an engine has not caught up with yet.

    Written in the same transaction as the change to the case, so it exists exactly when the
    change was committed, and deleted once the engine holds the case as it now is (or no
    longer holds it). Rows are never updated: a later change to the same case is a new row,
    so applying an older row can never swallow a newer change.
    """

    engine = models.CharField(max_length=100)
    page_id = models.BigIntegerField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["engine", "id"])]

    def __str__(self):
        return f"{self.engine}: {self.page_id}"


class EngineLease(models.Model):
    """Which process is writing to an engine now. One writer at a time, so an older version
    of a document can never overwrite a newer one; a lease ends on its own when its holder
    dies, so a killed worker never blocks the others for longer than that."""

    engine = models.CharField(max_length=100, primary_key=True)
    holder = models.CharField(max_length=32, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.engine


class CaseVectorQuerySet(models.QuerySet):
    def newest_batch(self) -> int:
        """The number of the latest embedding batch (0 when there is none)."""
        return self.aggregate(top=models.Max("batch"))["top"] or 0

    def next_batch(self) -> int:
        """The number for rows written now: one more than any row's."""
        return self.newest_batch() + 1

    def missing_ids(self, model: str) -> list[int]:
        """Published cases without a vector of `model`, oldest id first: the embedding
        task's work (search/embed.py), and what status reports as not yet embedded."""
        published = set(CaseStudyPage.objects.live().values_list("pk", flat=True))
        vectored = set(self.filter(model=model, chunk=0).values_list("page_id", flat=True))
        return sorted(published - vectored)


class CaseVector(models.Model):
    """One embedded passage of a published case (search/vectors.py): chunk 0 is the title,
    summary, lessons, themes and organisation, chunks 1 to 3 the body, chunks from 100 each
    lesson (search/documents.py case_passages). `text_digest` covers all of the case's
    passages and the model, so a case is embedded again exactly when its text or the model
    changed. Not a foreign key: the embedding task removes the vectors of
    cases no longer published, in batches, outside the change's transaction."""

    page_id = models.BigIntegerField(db_index=True)
    chunk = models.PositiveSmallIntegerField()
    model = models.CharField(max_length=200)
    text_digest = models.CharField(max_length=32)
    vector = models.BinaryField()  # float32, little-endian, unit length
    # Which embedding batch wrote the row, counting up: a web process reads only the rows of
    # batches newer than its matrix (search/vectors.py). Row ids cannot say that: SQLite
    # gives a deleted top id to the next row inserted.
    batch = models.PositiveBigIntegerField(default=0, db_index=True)

    objects = CaseVectorQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page_id", "chunk"], name="one_vector_per_chunk")
        ]

    def __str__(self):
        return f"{self.page_id}#{self.chunk} ({self.model})"
