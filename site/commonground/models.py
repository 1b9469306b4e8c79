"""The site shell's pages: the home page and plain standard pages (About, Contribute...)."""

from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from commonground.blocks import BodyBlock
from commonground.text import SingleLineTitles


class HomePage(SingleLineTitles, Page):
    """The front door: what the site is, the themes with counts, latest cases, countries."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    def get_context(self, request, *args, **kwargs):
        from cases.models import CaseIndexPage, CaseStudyPage
        from cases.queries import (
            case_cards,
            library_countries,
            live_case_count,
            themes_with_counts,
        )

        context = super().get_context(request, *args, **kwargs)
        live = CaseStudyPage.objects.live()
        context["themes"] = themes_with_counts()
        context["latest_cases"] = case_cards(live.order_by("-case_date", "-pk"))[:6]
        context["countries"] = library_countries()
        context["case_count"] = live_case_count()
        context["library"] = CaseIndexPage.objects.live().first()
        return context


class StandardPage(SingleLineTitles, Page):
    """A plain content page, e.g. About or How to contribute."""

    intro = models.TextField(blank=True, max_length=500)
    body = StreamField(BodyBlock(), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
