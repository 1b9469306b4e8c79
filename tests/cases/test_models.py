"""The content model: validation, defaults, the taxonomy the migrations create."""

import datetime

import pytest

from django.core.exceptions import ValidationError

from wagtail.models import Page

from cases.models import CaseIndexPage, CaseStudyPage, Organisation, Theme
from commonground.models import HomePage
from tests.factories import ImageFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

THEMES = [
    "Planning and strategy",
    "Evaluation and impact",
    "Crisis communication",
    "Honesty and transparency",
    "Engagement and content",
    "Information sharing and appeals",
    "Data and insight",
    "Officer support and training",
    "Digital principles and policy",
    "Wellbeing and resilience",
    "Recruitment",
    "Community relations",
]


def test_migrations_create_exactly_the_twelve_themes_with_one_sentence_each():
    themes = {t.name: t for t in Theme.objects.all()}
    assert sorted(themes) == sorted(THEMES)
    for theme in themes.values():
        assert theme.description.endswith(".")
        assert theme.description.count(". ") == 0  # one sentence
        assert theme.get_absolute_url() == f"/themes/{theme.slug}/"


def test_migrations_create_the_page_tree():
    home = HomePage.objects.get()
    assert home.url == "/"
    assert CaseIndexPage.objects.get().url == "/cases/"
    assert Page.objects.get(slug="about").url == "/about/"


def test_case_studies_live_only_under_the_library():
    assert CaseStudyPage.parent_page_types == ["cases.CaseIndexPage"]
    assert CaseStudyPage.can_create_at(CaseIndexPage.objects.get())
    assert not CaseStudyPage.can_create_at(HomePage.objects.get())


def build(**fields):
    values = {
        "title": "A case",
        "slug": "a-case",
        "summary": "What happened.",
        "organisation": OrganisationFactory(),
        "country": "GB",
        "case_date": datetime.date(2014, 6, 4),
    }
    values.update(fields)
    return CaseStudyPage(**values)


def errors_of(page):
    with pytest.raises(ValidationError) as info:
        page.full_clean(exclude=["path", "depth", "content_type", "translation_key", "locale"])
    return info.value.message_dict


def test_summary_is_limited_to_600_characters():
    assert "summary" in errors_of(build(summary="x" * 601))


def test_a_hero_image_needs_alt_text():
    assert "hero_alt" in errors_of(build(hero_image=ImageFactory(), hero_alt=" "))


def test_external_id_must_be_a_lowercase_slug():
    assert "external_id" in errors_of(build(external_id="Has Spaces"))


def test_language_must_be_a_known_bcp47_code():
    assert "language" in errors_of(build(language="klingon-xx"))


def test_external_id_defaults_to_the_slug_and_case_year_follows_the_date(library):
    page = build(slug="from-the-admin")
    library.add_child(instance=page)
    page.refresh_from_db()
    assert page.external_id == "from-the-admin"
    assert page.case_year == 2014


def test_lessons_are_grouped_in_the_fixed_order_and_empty_kinds_are_left_out():
    page = build(lessons=[("advice", "Plan first."), ("worked", "Humour."), ("worked", "Speed.")])
    assert page.lessons_by_kind == [
        ("What worked", ["Humour.", "Speed."]),
        ("Advice", ["Plan first."]),
    ]


def test_taxonomy_slugs_are_made_from_names_and_kept_unique():
    first = Organisation.objects.create(name="Police Scotland", country="GB")
    second = Organisation.objects.create(name="Police  Scotland!", country="GB")
    assert first.slug == "police-scotland"
    assert second.slug == "police-scotland-2"
