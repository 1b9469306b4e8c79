"""Conferences and their programmes: write-ups link to the session they come from."""

import datetime

from django_countries.fields import CountryField

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.html import format_html_join

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cases.choices import DatePrecision
from commonground.text import SingleLineCharField, SingleLineTitles, refuse_control_characters

EN_DASH = "\u2013"


class EventIndexPage(SingleLineTitles, Page):
    """/events/: upcoming and past conferences."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cases.EventPage"]
    parent_page_types = ["commonground.HomePage"]
    max_count = 1

    def events(self) -> QuerySet:
        """Live events under this index, each with its number of sessions and of live
        write-ups, counted in the same query however many events there are."""
        return (
            EventPage.objects.live()
            .child_of(self)
            .annotate(
                session_count=Count("sessions", distinct=True),
                write_up_count=Count(
                    "sessions__write_ups",
                    filter=Q(sessions__write_ups__live=True),
                    distinct=True,
                ),
            )
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = datetime.date.today()
        events = self.events()
        context["upcoming_events"] = list(
            events.filter(end_date__gte=today).order_by("start_date", "pk")
        )
        context["past_events"] = list(
            events.filter(end_date__lt=today).order_by("-start_date", "-pk")
        )
        return context


class EventPage(SingleLineTitles, Page):
    """A conference or meeting with its programme of sessions."""

    start_date = models.DateField(db_index=True)
    end_date = models.DateField()
    date_precision = models.CharField(
        "dates known to",
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=(
            "For past events whose exact days are not documented: the page then shows only "
            "the month or the year of the dates above."
        ),
    )
    city = SingleLineCharField(max_length=120, blank=True)
    country = CountryField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    description = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("date_precision"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
                FieldPanel("website"),
            ],
            heading="When and where",
        ),
        FieldPanel("description"),
        InlinePanel("sessions", heading="Programme", label="Session"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]
    parent_page_types = ["cases.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "event"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The event cannot end before it starts."})

    @property
    def place(self) -> str:
        """City and country name, e.g. "Chicago, United States"; unknown parts left out."""
        return ", ".join(
            part for part in (self.city, self.country.name if self.country else "") if part
        )

    @property
    def website_label(self) -> str:
        """The website's address without its scheme and trailing slash, to show as the link."""
        return self.website.split("://", 1)[-1].removeprefix("www.").rstrip("/")

    def date_parts(self) -> list[tuple[str, str]]:
        """[(machine-readable date, text)]: one part for a single day, month or year, two
        for a range, worded without repeating what both ends share: "3–5 March 2025",
        "28 February – 2 March 2025", "March 2014", "2014"."""
        start, end = self.start_date, self.end_date
        if self.date_precision == DatePrecision.YEAR:
            if start.year == end.year:
                return [(f"{start:%Y}", f"{start:%Y}")]
            return [(f"{start:%Y}", f"{start:%Y}"), (f"{end:%Y}", f"{end:%Y}")]
        if self.date_precision == DatePrecision.MONTH:
            if (start.year, start.month) == (end.year, end.month):
                return [(f"{start:%Y-%m}", f"{start:%B %Y}")]
            first = f"{start:%B}" if start.year == end.year else f"{start:%B %Y}"
            return [(f"{start:%Y-%m}", first), (f"{end:%Y-%m}", f"{end:%B %Y}")]
        last = (end.isoformat(), f"{end.day} {end:%B %Y}")
        if start == end:
            return [last]
        if (start.year, start.month) == (end.year, end.month):
            first = f"{start.day}"
        elif start.year == end.year:
            first = f"{start.day} {start:%B}"
        else:
            first = f"{start.day} {start:%B %Y}"
        return [(start.isoformat(), first), last]

    @property
    def dates_text(self) -> str:
        parts = [text for _, text in self.date_parts()]
        separator = EN_DASH if len(parts) == 2 and parts[0].isdigit() else f" {EN_DASH} "
        return separator.join(parts)

    def dates_html(self):
        """The dates as <time> elements, e.g. <time datetime="2025-03-03">3</time>–<time
        datetime="2025-03-05">5 March 2025</time>."""
        parts = self.date_parts()
        separator = EN_DASH if len(parts) == 2 and parts[0][1].isdigit() else f" {EN_DASH} "
        return format_html_join(
            separator, '<time datetime="{}">{}</time>', ((iso, text) for iso, text in parts)
        )

    @property
    def is_upcoming(self) -> bool:
        return self.end_date >= datetime.date.today()

    def get_context(self, request, *args, **kwargs):
        """The programme and its live write-ups in a fixed number of queries: sessions with
        their themes, then every live write-up of any session with organisation and themes."""
        from cases.models import CaseStudyPage

        context = super().get_context(request, *args, **kwargs)
        sessions = self.sessions.all()
        if isinstance(sessions, QuerySet):  # not a preview's in-memory programme
            sessions = sessions.prefetch_related("themes")
        sessions = list(sessions)
        session_ids = [s.pk for s in sessions if s.pk]
        write_ups = list(
            CaseStudyPage.objects.live()
            .filter(event_session_id__in=session_ids)
            .select_related("organisation")
            .prefetch_related("themes")
            .order_by("-case_date", "pk")
        )  # no query at all when there are no saved sessions
        by_session = {}
        by_theme = {}
        for case in write_ups:
            by_session.setdefault(case.event_session_id, []).append(case)
            for theme in case.themes.all():
                by_theme.setdefault(theme, []).append(case)
        for session in sessions:
            session.live_write_ups = by_session.get(session.pk, [])
        context["sessions"] = sessions
        context["write_ups"] = write_ups
        context["write_ups_by_theme"] = sorted(by_theme.items(), key=lambda item: item[0].name)
        return context


class EventSessionManager(models.Manager):
    """Sessions come with their event, so "Event: Session" labels (the write-up's session
    chooser in the admin) take one query, not one per session; newest event first, then
    in programme order."""

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("event")
            .order_by("-event__start_date", "event_id", "sort_order", "pk")
        )


class EventSession(Orderable, ClusterableModel):
    """One talk or panel in an event's programme; write-ups point at it."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="sessions")
    title = SingleLineCharField(max_length=255)
    speakers = SingleLineCharField(max_length=500, blank=True, help_text="Names, comma-separated.")
    organisation = SingleLineCharField(max_length=255, blank=True)
    themes = ParentalManyToManyField("cases.Theme", related_name="event_sessions", blank=True)
    abstract = models.TextField(
        max_length=1000, blank=True, validators=[refuse_control_characters]
    )

    objects = EventSessionManager()

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("speakers"), FieldPanel("organisation")]),
        FieldPanel("themes"),
        FieldPanel("abstract"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "session"

    def __str__(self):
        return f"{self.event.title}: {self.title}"

    @property
    def speaker_names(self) -> list[str]:
        return [name.strip() for name in self.speakers.split(",") if name.strip()]

    @property
    def anchor(self) -> str:
        return f"session-{self.pk}"
