"""Conferences and their programmes: write-ups link to the session they come from."""

from django_countries.fields import CountryField

from django.core.exceptions import ValidationError
from django.db import models

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index


class EventIndexPage(Page):
    """/events/: upcoming and past conferences."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cases.EventPage"]
    parent_page_types = ["commonground.HomePage"]
    max_count = 1


class EventPage(Page):
    """A conference or meeting with its programme of sessions."""

    start_date = models.DateField(db_index=True)
    end_date = models.DateField()
    city = models.CharField(max_length=120)
    country = CountryField()
    website = models.URLField(max_length=500, blank=True)
    description = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
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


class EventSession(Orderable, ClusterableModel):
    """One talk or panel in an event's programme; write-ups point at it."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=255)
    speakers = models.CharField(max_length=500, blank=True, help_text="Names, comma-separated.")
    organisation = models.CharField(max_length=255, blank=True)
    themes = ParentalManyToManyField("cases.Theme", related_name="event_sessions", blank=True)
    abstract = models.TextField(max_length=1000, blank=True)

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
