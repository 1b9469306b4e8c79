"""Conferences and their programmes: write-ups link to the session they come from."""

import datetime
import zoneinfo

from django_countries.fields import CountryField

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cases.blocks import SpeakersBlock
from cases.choices import DatePrecision
from commonground.text import SingleLineCharField, SingleLineTitles, refuse_control_characters

EN_DASH = "\u2013"
MINUS = "\u2212"
# Slides and recordings open in a browser: other schemes (ftp:, javascript:) are refused.
web_address = URLValidator(
    schemes=["http", "https"],
    message=_("Enter an http:// or https:// address."),
    code="web_address",  # its own code, so forms show this message, not "Enter a valid URL."
)


def validate_time_zone(value: str) -> None:
    """An IANA time zone name, e.g. Europe/Amsterdam."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("Give a time zone name such as Europe/Amsterdam or America/Chicago."),
            code="time_zone",
        ) from None


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
        _("dates known to"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_(
            "For past events whose exact days are not documented: the page then shows only "
            "the month or the year of the dates above."
        ),
    )
    venue = SingleLineCharField(
        max_length=255, blank=True, help_text=_("The building or site, e.g. Police headquarters.")
    )
    city = SingleLineCharField(max_length=120, blank=True)
    country = CountryField(blank=True)
    time_zone = SingleLineCharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "Where the programme's times are local to, as a time zone name such as "
            "Europe/Amsterdam; the page says so beside the times."
        ),
    )
    website = models.URLField(max_length=500, blank=True)
    description = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("date_precision"),
                FieldPanel("venue"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
                FieldPanel("time_zone"),
                FieldPanel("website"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("description"),
        InlinePanel("sessions", heading=_("Programme"), label=_("Session")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]
    parent_page_types = ["cases.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": gettext("The event cannot end before it starts.")})
        if self.start_date and self.end_date:
            outside = [
                s.title
                for s in self.sessions.all()
                if s.day and not self.start_date <= s.day <= self.end_date
            ]
            if outside:
                raise ValidationError(
                    gettext("These sessions fall outside the event's dates: %(titles)s.")
                    % {"titles": "; ".join(outside)}
                )

    @property
    def place(self) -> str:
        """Venue, city and country name, e.g. "Police headquarters, Chicago, United
        States"; unknown parts left out."""
        country = self.country.name if self.country else ""
        return ", ".join(part for part in (self.venue, self.city, country) if part)

    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone) if self.time_zone else None

    def time_zone_label(self) -> str:
        """How the programme's times are labelled, e.g. "Amsterdam (UTC+2)": the offset on
        the event's first day, so summer time shows as such; "" without a time zone."""
        zone = self.zone()
        if zone is None:
            return ""
        noon = datetime.datetime.combine(self.start_date, datetime.time(12), tzinfo=zone)
        minutes = int(noon.utcoffset().total_seconds() // 60)
        sign = "+" if minutes >= 0 else MINUS
        hours, rest = divmod(abs(minutes), 60)
        offset = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
        place = self.time_zone.rsplit("/", 1)[-1].replace("_", " ")
        return f"{place} ({offset})"

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
        # Month names and word order follow the active language: the formats are Django
        # date formats its translators may reorder ("j. F Y", "j \d\e F \d\e Y").
        # Translators: Django date format for a month and year, e.g. "March 2014".
        month_year = pgettext("date format", "F Y")
        # Translators: Django date format for a day, month and year, e.g. "5 March 2025".
        day_month_year = pgettext("date format", "j F Y")
        if self.date_precision == DatePrecision.MONTH:
            if (start.year, start.month) == (end.year, end.month):
                return [(f"{start:%Y-%m}", date_format(start, month_year))]
            first = (
                date_format(start, "F")
                if start.year == end.year
                else date_format(start, month_year)
            )
            return [(f"{start:%Y-%m}", first), (f"{end:%Y-%m}", date_format(end, month_year))]
        last = (end.isoformat(), date_format(end, day_month_year))
        if start == end:
            return [last]
        if (start.year, start.month) == (end.year, end.month):
            first = f"{start.day}"
        elif start.year == end.year:
            # Translators: Django date format for a day and month, e.g. "28 February".
            first = date_format(start, pgettext("date format", "j F"))
        else:
            first = date_format(start, day_month_year)
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
        attach_speakers(sessions)
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
        context["programme_days"] = programme_days(sessions, self.zone())
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
    speakers = StreamField(SpeakersBlock(), blank=True)
    day = models.DateField(null=True, blank=True)
    start_time = models.TimeField(
        null=True, blank=True, help_text=_("Local time where the event takes place.")
    )
    end_time = models.TimeField(null=True, blank=True)
    room = SingleLineCharField(max_length=120, blank=True)
    themes = ParentalManyToManyField("cases.Theme", related_name="event_sessions", blank=True)
    abstract = models.TextField(
        max_length=1000, blank=True, validators=[refuse_control_characters]
    )
    slides_url = models.URLField(_("slides"), max_length=500, blank=True, validators=[web_address])
    video_url = models.URLField(
        _("video recording"), max_length=500, blank=True, validators=[web_address]
    )

    objects = EventSessionManager()

    panels = [
        FieldPanel("title"),
        FieldRowPanel(
            [
                FieldPanel("day"),
                FieldPanel("start_time"),
                FieldPanel("end_time"),
                FieldPanel("room"),
            ]
        ),
        FieldPanel("speakers"),
        FieldPanel("themes"),
        FieldPanel("abstract"),
        FieldRowPanel([FieldPanel("slides_url"), FieldPanel("video_url")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")

    def __str__(self):
        return f"{self.event.title}: {self.title}"

    def clean(self):
        super().clean()
        if self.start_time and self.end_time and self.end_time < self.start_time:
            raise ValidationError(
                {"end_time": gettext("The session cannot end before it starts.")}
            )

    @property
    def speaker_names(self) -> list[str]:
        return [speaker["name"] for speaker in getattr(self, "speaker_list", [])]

    @property
    def anchor(self) -> str:
        return f"session-{self.pk}"


def attach_speakers(sessions) -> None:
    """Give each session `speaker_list`: [{name, organisation, organisation_url}], read
    from the stored blocks, with every linked organisation fetched in one query for the
    whole programme (a block chooser would fetch them session by session). Only
    organisations with a public page are linked."""
    from cases.models import Organisation

    raw = {id(session): list(session.speakers.raw_data) for session in sessions}
    ids = {
        block["value"].get("organisation_page")
        for blocks in raw.values()
        for block in blocks
        if block.get("type") == "speaker"
    } - {None, ""}
    organisations = Organisation.objects.public().in_bulk(ids) if ids else {}
    for session in sessions:
        speakers = []
        for block in raw[id(session)]:
            value = block.get("value") or {}
            linked = organisations.get(value.get("organisation_page"))
            speakers.append(
                {
                    "name": value.get("name", ""),
                    "organisation": value.get("organisation") or (linked.name if linked else ""),
                    "organisation_url": linked.get_absolute_url() if linked else "",
                }
            )
        session.speaker_list = speakers


def programme_days(sessions, zone=None) -> list[dict]:
    """The programme by day: [{day, sessions}], days in order and, within a day, sessions
    by start time (then as the editor ordered them); sessions without a day come last,
    under day None. Each timed session gets `starts_iso`/`ends_iso` for <time datetime>,
    with the event's UTC offset when its time zone is known."""
    by_day = {}
    for position, session in enumerate(sessions):
        by_day.setdefault(session.day, []).append((position, session))
        session.starts_iso = _iso(session.day, session.start_time, zone)
        session.ends_iso = _iso(session.day, session.end_time, zone)
    days = sorted(d for d in by_day if d is not None)
    if None in by_day:
        days.append(None)
    return [
        {
            "day": day,
            "sessions": [
                s
                for _, s in sorted(
                    by_day[day],
                    key=lambda item: (
                        item[1].start_time is None,
                        item[1].start_time or datetime.time(0),
                        item[0],
                    ),
                )
            ],
        }
        for day in days
    ]


def _iso(day, time, zone) -> str:
    if time is None:
        return ""
    if day is None:
        return time.strftime("%H:%M")
    moment = datetime.datetime.combine(day, time)
    if zone is None:
        return moment.strftime("%Y-%m-%dT%H:%M")
    return moment.replace(tzinfo=zone).isoformat(timespec="minutes")
