"""The demo library: what the issue promises of it, loaded through the import code."""

import copy
import json
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from django.core.management import call_command
from django.utils.html import escape

from wagtail.images import get_image_model
from wagtail.models import Revision

from cases.demo import events as demo_events_module
from cases.demo.artwork import MOTIFS
from cases.demo.events import demo_events
from cases.demo.loader import CASES_FILE, demo_images
from cases.interchange.schema import validator
from cases.models import CaseStudyPage, EventPage, EventSession, Theme

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


# Demo events (cases/demo/events.json): outside the interchange format, loaded by load_demo.

EVENTS = demo_events()


def test_the_demo_events_include_smile_with_sessions_and_write_ups_of_existing_cases():
    assert len(EVENTS) >= 2
    smile = next(e for e in EVENTS if e["slug"].startswith("smile-conference-2014"))
    assert len(smile["sessions"]) >= 3
    assert sum(len(s["write_ups"]) for s in smile["sessions"]) >= 2
    case_ids = {r["external_id"] for r in RECORDS}
    linked = [i for e in EVENTS for s in e["sessions"] for i in s["write_ups"]]
    assert set(linked) <= case_ids
    assert len(linked) == len(set(linked)), "a case writes up one session"
    for event in EVENTS:
        assert event["start_date"] <= event["end_date"], event["slug"]
        titles = [s["title"] for s in event["sessions"]]
        assert len(titles) == len(set(titles)), "sessions are matched by title on reload"


def test_the_demo_events_say_where_and_one_carries_a_full_timed_programme():
    for event in EVENTS:
        place = [event.get(k) for k in ("venue", "city", "country")]
        # SMILE 2014: our sources do not say where it was held, and the page says so
        assert any(place) or event["slug"] == "smile-conference-2014", event["slug"]
    timed = [e for e in EVENTS if any(s.get("start_time") for s in e["sessions"])]
    assert timed
    for event in timed:
        assert event["time_zone"], event["slug"]
        for session in event["sessions"]:
            assert event["start_date"] <= session["day"] <= event["end_date"]
            assert session["start_time"] < session["end_time"]
            assert session["room"] and session["speakers"]
    sessions = [s for e in timed for s in e["sessions"]]
    assert any(s.get("slides_url") for s in sessions)
    assert any(s.get("video_url") for s in sessions)
    assert any(sp.get("library") for s in sessions for sp in s["speakers"])


@pytest.mark.django_db
def test_the_demo_events_use_known_themes():
    slugs = set(Theme.objects.values_list("slug", flat=True))
    for event in EVENTS:
        for session in event["sessions"]:
            assert set(session["themes"]) <= slugs, session["title"]


@pytest.mark.django_db
def test_load_demo_creates_the_events_links_their_write_ups_and_a_second_run_changes_nothing(
    capsys, client
):
    call_command("load_demo")
    linked = sum(len(s["write_ups"]) for e in EVENTS for s in e["sessions"])
    out = capsys.readouterr().out
    assert f"{len(EVENTS)} event(s) created, 0 updated, 0 unchanged; {linked} write-up(s)" in out

    for spec in EVENTS:
        page = EventPage.objects.live().get(slug=spec["slug"])
        assert page.title == spec["title"]
        assert page.url == f"/events/{spec['slug']}/"
        sessions = list(page.sessions.all())
        assert [s.title for s in sessions] == [s["title"] for s in spec["sessions"]]
        soup = BeautifulSoup(client.get(page.url).content, "html.parser")
        for session, session_spec in zip(sessions, spec["sessions"], strict=True):
            assert sorted(t.slug for t in session.themes.all()) == sorted(session_spec["themes"])
            item = soup.find(id=f"session-{session.pk}")
            shown = {a["href"] for a in item.select(".write-up__title")}
            for external_id in session_spec["write_ups"]:
                case = CaseStudyPage.objects.get(external_id=external_id)
                assert case.event_session_id == session.pk
                # the live revision has the link too, so the next edit in the admin keeps it
                assert case.live_revision.as_object().event_session_id == session.pk
                assert case.url in shown
                aside = BeautifulSoup(client.get(case.url).content, "html.parser").select_one(
                    ".from-conference"
                )
                hrefs = [a["href"] for a in aside.find_all("a")]
                assert hrefs == [f"{page.url}#session-{session.pk}", page.url]

    forum = next(e for e in EVENTS if e.get("time_zone") == "Europe/Amsterdam")
    soup = BeautifulSoup(client.get(f"/events/{forum['slug']}/").content, "html.parser")
    assert "All times are local to the event" in soup.select_one(".programme__zone").get_text()
    assert soup.select(".session__who a")  # speakers' organisations linked to the library
    assert soup.select(".session__links a")

    def sessions_state():
        return [
            (s.pk, s.event_id, s.title, s.day, s.start_time, s.room, list(s.speakers.raw_data))
            for s in EventSession.objects.order_by("pk")
        ]

    state = (
        sessions_state(),
        dict(CaseStudyPage.objects.values_list("external_id", "event_session_id")),
        Revision.objects.count(),
    )
    call_command("load_demo")
    out = capsys.readouterr().out
    assert f"0 event(s) created, 0 updated, {len(EVENTS)} unchanged; 0 write-up(s)" in out
    assert (
        sessions_state(),
        dict(CaseStudyPage.objects.values_list("external_id", "event_session_id")),
        Revision.objects.count(),
    ) == state


@pytest.mark.django_db
def test_a_changed_demo_event_is_updated_in_place_keeping_its_sessions_and_write_ups(
    monkeypatch,
):
    call_command("load_demo")
    smile = next(e for e in EVENTS if e["slug"].startswith("smile-conference-2014"))
    session_spec = next(s for s in smile["sessions"] if s["write_ups"])
    before = EventSession.objects.get(event__slug=smile["slug"], title=session_spec["title"])
    changed = copy.deepcopy(EVENTS)
    event = next(e for e in changed if e["slug"] == smile["slug"])
    event["city"] = "Somewhere"
    next(s for s in event["sessions"] if s["title"] == session_spec["title"])["abstract"] = "New."
    monkeypatch.setattr(demo_events_module, "demo_events", lambda: changed)

    report = demo_events_module.load_events()
    assert (report.created, report.updated, report.unchanged) == (0, 1, len(EVENTS) - 1)
    assert report.write_ups_linked == 0
    after = EventSession.objects.get(event__slug=smile["slug"], title=session_spec["title"])
    assert (after.pk, after.abstract) == (before.pk, "New.")
    assert EventPage.objects.get(slug=smile["slug"]).city == "Somewhere"
    for external_id in session_spec["write_ups"]:
        assert CaseStudyPage.objects.get(external_id=external_id).event_session_id == after.pk
