"""The library's version: one number every process reads to know whether what it cached
(facet counts, the library snapshot, search match sets) still describes the library."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LibraryVersion(models.Model):
    """A single row whose token changes each time search catches up with a change to the
    library.

    It lives in the database, not in the cache, so every process sees the same number
    whatever cache is configured: a per-process memory cache once kept a server answering
    searches from an old match set for 21 minutes after an import in another process.
    """

    # Random rather than counted: a database restored from a backup can never bring back a
    # number that caches already hold for other contents.
    token = models.CharField(max_length=32, default="initial")

    class Meta:
        verbose_name = _("library version")

    def __str__(self):
        return self.token
