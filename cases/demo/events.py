"""Demo conferences (cases/demo/events.json): event pages with their programmes, and demo
cases linked to the sessions they write up. Events are not part of the interchange format,
so they load here rather than through the importer. Safe to re-run: an event whose page
already matches the file, and a case already linked to its session, are left alone."""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from cases.models import (
    CaseStudyPage,
    EventIndexPage,
    EventPage,
    EventSession,
    Organisation,
    Theme,
)

EVENTS_FILE = Path(__file__).resolve().parent / "events.json"
EVENT_FIELDS = (
    "title",
    "start_date",
    "end_date",
    "date_precision",
    "venue",
    "city",
    "country",
    "time_zone",
    "website",
    "description",
)
SESSION_TEXT = ("title", "room", "abstract", "slides_url", "video_url")
SESSION_TIMES = {"day": datetime.date, "start_time": datetime.time, "end_time": datetime.time}


@dataclass
class EventsReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    write_ups_linked: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.created} event(s) created, {self.updated} updated, {self.unchanged} "
            f"unchanged; {self.write_ups_linked} write-up(s) linked to their session"
        )


def demo_events() -> list[dict]:
    return json.loads(EVENTS_FILE.read_text(encoding="utf-8"))


def load_events() -> EventsReport:
    report = EventsReport()
    index = EventIndexPage.objects.first()
    if index is None:
        report.problems.append("there is no events index page (/events/)")
        return report
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    organisations = dict(Organisation.objects.values_list("name", "pk"))
    for spec in demo_events():
        with transaction.atomic():
            page = _load_event(index, spec, themes, organisations, report)
            _link_write_ups(page, spec, report)
    return report


def _event_values(spec: dict) -> dict:
    values = {name: spec.get(name, "") for name in EVENT_FIELDS}
    values["start_date"] = datetime.date.fromisoformat(spec["start_date"])
    values["end_date"] = datetime.date.fromisoformat(spec["end_date"])
    values["date_precision"] = spec.get("date_precision") or "day"
    return values


def _session_values(spec: dict) -> dict:
    values = {name: spec.get(name, "") for name in SESSION_TEXT}
    for name, kind in SESSION_TIMES.items():
        values[name] = kind.fromisoformat(spec[name]) if spec.get(name) else None
    return values


def _speakers(spec: dict, organisations: dict) -> list[dict]:
    """The session's speaker blocks; "library" names the Organisation to link to."""
    return [
        {
            "name": speaker["name"],
            "organisation": speaker.get("organisation", ""),
            "organisation_page": organisations.get(speaker.get("library", "")),
        }
        for speaker in spec.get("speakers", [])
    ]


def _stored_speakers(session: EventSession) -> list[dict]:
    return [
        {
            "name": block["value"].get("name", ""),
            "organisation": block["value"].get("organisation", ""),
            "organisation_page": block["value"].get("organisation_page"),
        }
        for block in session.speakers.raw_data
    ]


def _state(page: EventPage) -> tuple:
    """What the file describes of an event, as stored: compared to skip unchanged ones."""
    event = tuple(
        page.country.code if name == "country" else getattr(page, name) for name in EVENT_FIELDS
    )
    sessions = tuple(
        (
            *(getattr(s, name) for name in (*SESSION_TEXT, *SESSION_TIMES)),
            repr(_stored_speakers(s)),
            tuple(sorted(t.slug for t in s.themes.all())),
        )
        for s in page.sessions.all()
    )
    return event, sessions


def _wanted(spec: dict, organisations: dict) -> tuple:
    values = _event_values(spec)
    event = tuple(values[name] for name in EVENT_FIELDS)
    sessions = tuple(
        (
            *_session_values(s).values(),
            repr(_speakers(s, organisations)),
            tuple(sorted(s.get("themes", []))),
        )
        for s in spec["sessions"]
    )
    return event, sessions


def _load_event(index, spec, themes, organisations, report) -> EventPage:
    page = EventPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if page is not None and _state(page) == _wanted(spec, organisations):
        report.unchanged += 1
        return page

    created = page is None
    if created:
        page = EventPage(slug=spec["slug"])
    for name, value in _event_values(spec).items():
        setattr(page, name, value)
    page.draft_title = page.title
    # Sessions are matched by title, so a session keeps its id (and its write-ups, and
    # links to #session-<id>) when its other fields change.
    existing = {} if created else {s.title: s for s in page.sessions.all()}
    sessions = []
    linked = Organisation.objects.in_bulk(organisations.values())
    for session_spec in spec["sessions"]:
        session = existing.get(session_spec["title"]) or EventSession()
        for name, value in _session_values(session_spec).items():
            setattr(session, name, value)
        session.speakers = [
            ("speaker", {**speaker, "organisation_page": linked.get(speaker["organisation_page"])})
            for speaker in _speakers(session_spec, organisations)
        ]
        session.themes = [themes[slug] for slug in session_spec.get("themes", [])]
        sessions.append(session)
    page.sessions = sessions
    if created:
        index.add_child(instance=page)
        report.created += 1
    else:
        report.updated += 1
    page.save_revision(log_action=True).publish()
    return page


def _link_write_ups(page: EventPage, spec: dict, report: EventsReport) -> None:
    sessions = {s.title: s for s in EventPage.objects.get(pk=page.pk).sessions.all()}
    for session_spec in spec["sessions"]:
        session = sessions[session_spec["title"]]
        for external_id in session_spec.get("write_ups", []):
            case = CaseStudyPage.objects.filter(external_id=external_id).first()
            if case is None:
                report.problems.append(f"{spec['slug']}: no case {external_id!r} to link")
                continue
            if case.event_session_id == session.pk:
                continue
            case.event_session = session
            case.save_revision(log_action=True).publish()
            report.write_ups_linked += 1
