"""Factories for tests and benchmarks (factory_boy).

    case = CaseStudyPageFactory(themes=["recruitment"], country="NL")
    CaseStudyPageFactory.create_batch(20)

Case studies are created live under the library page the migrations create, each with a
revision that is its live revision, like a page published in the admin.
"""

import datetime
import io

import factory
from PIL import Image as PILImage

from wagtail.images import get_image_model
from wagtail.models import Collection

from cases.models import CaseStudyPage, Organisation, Platform, Theme


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Test Constabulary {n}")
    country = "GB"
    website = "https://police.example/"

    class Meta:
        model = Organisation
        django_get_or_create = ("name",)


class PlatformFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Platform {n}")

    class Meta:
        model = Platform
        django_get_or_create = ("name",)


def jpeg_bytes(size=(640, 360), colour=(11, 79, 108)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    title = "An image"
    file = factory.django.ImageField(width=640, height=360, color="navy")
    collection = factory.LazyFunction(Collection.get_first_root_node)

    class Meta:
        model = get_image_model()


def publish_page(page, create, extracted, **kwargs):
    """Saves the relations and publishes a revision, as the admin would. Declared last in
    each factory, so it runs after the other post-generation steps."""
    if create:
        page.save()
        if page.live:
            page.save_revision().publish()


# Where each kind of page lives: the index pages the migrations create.
INDEX_OF = {
    "cases.CaseStudyPage": "cases.CaseIndexPage",
    "cases.EventPage": "cases.EventIndexPage",
}


class PublishedPageFactory(factory.django.DjangoModelFactory):
    """A page created under its index page (INDEX_OF), unless a parent is given."""

    live = True

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        from django.apps import apps

        parent = parent or apps.get_model(INDEX_OF[model_class._meta.label]).objects.get()
        return parent.add_child(instance=model_class(*args, **kwargs))


class CaseStudyPageFactory(PublishedPageFactory):
    """A published case study. `themes` and `platforms` take slugs/names or instances."""

    title = factory.Sequence(lambda n: f"Case study {n}")
    slug = factory.Sequence(lambda n: f"case-study-{n}")
    external_id = factory.SelfAttribute("slug")
    summary = "How a force used social media, what worked and what did not."
    organisation = factory.SubFactory(OrganisationFactory)
    country = "GB"
    case_date = factory.Sequence(lambda n: datetime.date(2010, 1, 1) + datetime.timedelta(days=n))
    language = "en"
    result = "worked"
    evidence = "monitored"

    class Meta:
        model = CaseStudyPage
        skip_postgeneration_save = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        values = extracted if extracted is not None else ["engagement-and-content"]
        self.themes.set([v if isinstance(v, Theme) else Theme.objects.get(slug=v) for v in values])

    @factory.post_generation
    def platforms(self, create, extracted, **kwargs):
        values = extracted or []
        self.platforms.set(
            [v if isinstance(v, Platform) else PlatformFactory(name=v) for v in values]
        )

    publish = factory.PostGeneration(publish_page)


class EventPageFactory(PublishedPageFactory):
    """A published event under /events/, by default on 3-5 March 2025 in Manchester."""

    title = factory.Sequence(lambda n: f"Conference {n}")
    slug = factory.Sequence(lambda n: f"conference-{n}")
    start_date = datetime.date(2025, 3, 3)
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=2))
    city = "Manchester"
    country = "GB"

    class Meta:
        model = "cases.EventPage"
        skip_postgeneration_save = True

    publish = factory.PostGeneration(publish_page)


def speaker_blocks(*speakers) -> list[tuple]:
    """A session's speakers: (name, organisation[, Organisation]) each."""
    return [
        (
            "speaker",
            {
                "name": name,
                "organisation": organisation,
                "organisation_page": linked[0] if linked else None,
            },
        )
        for name, organisation, *linked in speakers
    ]


class EventSessionFactory(factory.django.DjangoModelFactory):
    """A session in an event's programme. `themes` takes slugs or instances."""

    event = factory.SubFactory(EventPageFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    speakers = factory.LazyFunction(
        lambda: speaker_blocks(
            ("A press officer", "Test Constabulary"), ("A chief inspector", "Test Constabulary")
        )
    )
    abstract = "What the speakers did, what worked and what did not."

    class Meta:
        model = "cases.EventSession"
        skip_postgeneration_save = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        values = extracted if extracted is not None else ["crisis-communication"]
        self.themes = [v if isinstance(v, Theme) else Theme.objects.get(slug=v) for v in values]
        if create:
            self.save()
