"""How to cite a case: who, when, what, where it is published and when it was seen. One
citation, shown formatted on the case page and as plain text to paste into a report."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import dates
from cases.choices import DatePrecision
from commonground.base_url import public_url


@dataclass(frozen=True)
class Citation:
    author: str
    year: str
    title: str
    publisher: str
    url: str
    accessed: str

    @classmethod
    def for_page(cls, page, today: date | None = None) -> "Citation":
        """The page's citation: its organisation (the site for a draft without one), the
        year it happened, and the permanent address at the configured public address, never
        the request's host."""
        today = today or timezone.localdate()
        return cls(
            author=page.organisation.name if page.organisation_id else settings.WAGTAIL_SITE_NAME,
            year=str(page.case_date.year) if page.case_date else _("n.d."),
            title=page.title,
            publisher=settings.WAGTAIL_SITE_NAME,
            url=public_url(page.url or ""),
            accessed=dates.to_text(today, DatePrecision.DAY),
        )

    @property
    def plain(self) -> str:
        return _(
            "%(author)s (%(year)s). %(title)s. %(publisher)s. %(url)s (accessed %(accessed)s)."
        ) % {
            "author": self.author,
            "year": self.year,
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "accessed": self.accessed,
        }
