"""The demo library: what the issue promises of it, loaded through the import code."""

import json
from collections import Counter

import pytest

from django.core.management import call_command
from django.utils.html import escape

from wagtail.images import get_image_model
from wagtail.models import Revision

from cases.demo.artwork import MOTIFS
from cases.demo.loader import CASES_FILE, demo_images
from cases.interchange.schema import validator
from cases.models import CaseStudyPage, Theme

RECORDS = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines()]


def test_the_demo_file_is_valid_interchange():
    for record in RECORDS:
        assert list(validator().iter_errors(record)) == [], record["external_id"]
    ids = [r["external_id"] for r in RECORDS]
    assert len(ids) == len(set(ids))


def test_at_least_30_cases_from_8_countries_including_the_six_named():
    assert len(RECORDS) >= 30
    countries = {r["country"] for r in RECORDS}
    assert len(countries) >= 8
    assert {"US", "GB", "AU", "NL", "CA", "BE"} <= countries


def test_every_case_states_its_result_and_evidence_and_failures_are_included():
    assert all(r.get("result") and r.get("evidence") for r in RECORDS)
    results = Counter(r["result"] for r in RECORDS)
    assert results["did-not-work"] + results["mixed"] >= 2


def test_at_least_two_cases_are_written_in_another_language():
    assert sum(r.get("language", "en") != "en" for r in RECORDS) >= 2


def test_every_case_has_lessons_of_each_kind_and_a_real_body():
    for record in RECORDS:
        kinds = {lesson["kind"] for lesson in record.get("lessons", [])}
        assert kinds == {"worked", "challenge", "advice"}, record["external_id"]
        assert len(record.get("body", "").split("\n\n")) >= 3, record["external_id"]


def test_every_case_has_an_image_with_alt_text_and_a_known_motif():
    images = demo_images()
    assert set(images) == {r["external_id"] for r in RECORDS}
    for spec in images.values():
        assert spec["motif"] in MOTIFS
        assert len(spec["alt"]) > 20


@pytest.mark.django_db
def test_every_theme_is_on_at_least_three_demo_cases():
    themes = {}
    for theme in Theme.objects.all():
        themes[theme.slug] = themes[theme.name.lower()] = theme.slug
    counts = Counter(themes[t.lower()] for r in RECORDS for t in r["themes"])
    assert set(counts) == set(Theme.objects.values_list("slug", flat=True))
    assert min(counts.values()) >= 3, counts


@pytest.mark.django_db
def test_load_demo_publishes_every_case_with_its_image_and_a_second_run_changes_nothing(
    capsys,
):
    call_command("load_demo")
    assert f"{len(RECORDS)} created, 0 updated, 0 unchanged, 0 skipped" in capsys.readouterr().out
    pages = CaseStudyPage.objects.live()
    assert pages.count() == len(RECORDS)
    assert not pages.filter(hero_image__isnull=True).exists()
    alts = demo_images()
    for page in pages:
        assert page.hero_alt == alts[page.external_id]["alt"]
        assert page.live_revision_id == page.latest_revision_id
        assert page.live_revision.as_object().hero_image_id == page.hero_image_id

    images, revisions = get_image_model().objects.count(), Revision.objects.count()
    call_command("load_demo")
    out = capsys.readouterr().out
    assert f"0 created, 0 updated, {len(RECORDS)} unchanged, 0 skipped; 0 image(s)" in out
    assert (get_image_model().objects.count(), Revision.objects.count()) == (images, revisions)


@pytest.mark.django_db
def test_every_demo_case_page_renders(client):
    call_command("load_demo")
    for page in CaseStudyPage.objects.live():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert escape(page.title) in response.content.decode()
