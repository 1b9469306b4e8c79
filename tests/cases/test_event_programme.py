"""An event's programme: sessions by day in the event's local time, their speakers with
organisations (linked to the library when the organisation has a public page), rooms, and
links to slides and video, which must be web addresses."""

import datetime

import pytest

from django.core.exceptions import ValidationError

from cases.models import EventPage, EventSession
from tests.factories import (
    CaseStudyPageFactory,
    EventPageFactory,
    EventSessionFactory,
    OrganisationFactory,
    speaker_blocks,
)
from tests.helpers import html, text

pytestmark = pytest.mark.django_db

FIRST, SECOND = datetime.date(2025, 10, 7), datetime.date(2025, 10, 8)


def forum(**kwargs):
    return EventPageFactory(
        title="Forum", start_date=FIRST, end_date=SECOND, country="NL", **kwargs
    )


def session(event, title, day=None, start=None, end=None, **kwargs):
    return EventSessionFactory(
        event=event,
        title=title,
        day=day,
        start_time=datetime.time.fromisoformat(start) if start else None,
        end_time=datetime.time.fromisoformat(end) if end else None,
        **kwargs,
    )


def test_the_programme_is_grouped_by_day_in_time_order_with_undated_sessions_last(client):
    event = forum(time_zone="Europe/Amsterdam")
    # entered out of order: the page sorts by day, then start time
    session(event, "Closing panel", SECOND, "14:00", "15:00", room="Main hall")
    session(event, "Afternoon workshop", FIRST, "13:30", "15:00", room="Room 2")
    session(event, "Opening", FIRST, "09:30", "10:00")
    session(event, "Poster corner")  # no day recorded
    soup = html(client.get(event.url))
    programme = soup.find(attrs={"aria-labelledby": "programme-heading"})

    days = programme.select(".programme__day")
    assert [text(d) for d in days] == [
        "Tuesday 7 October 2025",
        "Wednesday 8 October 2025",
        "Day not recorded",
    ]
    assert days[0].time["datetime"] == "2025-10-07"
    lists = programme.select(".session-list")
    titles = [[text(t) for t in ol.select(".session__title")] for ol in lists]
    assert titles == [["Opening", "Afternoon workshop"], ["Closing panel"], ["Poster corner"]]
    assert all(t.name == "h4" for t in programme.select(".session__title"))

    # times are labelled as the event's local time, with the offset on its dates (summer time)
    assert "All times are local to the event: Amsterdam (UTC+2)." in text(
        programme.select_one(".programme__zone")
    )
    workshop = lists[0].select(".session")[1]
    when = workshop.select_one(".session__when")
    assert [t["datetime"] for t in when.find_all("time")] == [
        "2025-10-07T13:30+02:00",
        "2025-10-07T15:00+02:00",
    ]
    assert "13:30–15:00" in when.get_text()
    assert when.select_one(".session__room").get_text() == "Room: Room 2"


def test_a_programme_without_days_or_a_time_zone_is_one_list_without_day_headings(client):
    event = forum()
    session(event, "First")
    session(event, "Second")
    soup = html(client.get(event.url))
    assert soup.select(".programme__day") == []
    assert soup.select_one(".programme__zone") is None
    assert [text(t) for t in soup.select("h3.session__title")] == ["First", "Second"]


def test_the_time_zone_label_follows_winter_time_and_refuses_unknown_zones():
    page = EventPage(
        start_date=datetime.date(2011, 1, 10),
        end_date=datetime.date(2011, 1, 12),
        time_zone="America/Chicago",
    )
    assert page.time_zone_label() == "Chicago (UTC\u22126)"
    page.time_zone = "Asia/Kolkata"
    assert page.time_zone_label() == "Kolkata (UTC+5:30)"
    page.time_zone = "Mars/Olympus_Mons"
    with pytest.raises(ValidationError) as error:
        page.full_clean(exclude=["path", "depth", "title", "slug"])
    assert "time_zone" in error.value.message_dict


def test_speakers_show_their_organisations_linked_only_to_public_organisation_pages(client):
    public = OrganisationFactory(name="Westhaven Constabulary")
    CaseStudyPageFactory(organisation=public)  # a published case makes its page public
    hidden = OrganisationFactory(name="Only in review")
    event = forum()
    session(
        event,
        "Panel",
        speakers=speaker_blocks(
            ("Head of digital", "Westhaven Constabulary", public),
            ("Analyst", "", hidden),  # not public: neither named nor linked
            ("Researcher", "University of Somewhere"),
        ),
    )
    soup = html(client.get(event.url))
    speakers = soup.select(".session__who .speaker")
    assert [s.get_text() for s in speakers] == [
        "Head of digital, Westhaven Constabulary",
        "Analyst",
        "Researcher, University of Somewhere",
    ]
    links = [(text(a), a["href"]) for a in soup.select(".session__who a")]
    assert links == [("Westhaven Constabulary", public.get_absolute_url())]
    assert text(soup.select_one(".session__who .label")) == "Speakers"


def test_slides_and_video_links_are_shown_with_the_session_named_for_screen_readers(client):
    event = forum()
    session(
        event,
        "Measuring what matters",
        slides_url="https://forum.example/slides.pdf",
        video_url="http://forum.example/video",
    )
    session(event, "Unrecorded")
    soup = html(client.get(event.url))
    first, second = soup.select(".session")
    links = [(a.get_text(), a["href"]) for a in first.select(".session__links a")]
    assert links == [
        ("Slides: Measuring what matters", "https://forum.example/slides.pdf"),
        ("Video recording: Measuring what matters", "http://forum.example/video"),
    ]
    assert second.select_one(".session__links") is None


@pytest.mark.parametrize(
    "address",
    ["javascript:alert(1)", "ftp://files.example/slides.pdf", "forum.example/slides", "data:,x"],
)
@pytest.mark.parametrize("name", ["slides_url", "video_url"])
def test_slides_and_video_must_be_web_addresses(address, name):
    item = EventSession(event=forum(), title="Talk", **{name: address})
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert name in error.value.message_dict
    setattr(item, name, "https://forum.example/ok")
    item.full_clean()


def test_a_session_cannot_end_before_it_starts_nor_fall_outside_the_event():
    event = forum()
    item = EventSession(
        event=event,
        title="Backwards",
        start_time=datetime.time(11),
        end_time=datetime.time(10),
    )
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "end_time" in error.value.message_dict

    page = EventPage.objects.get(pk=event.pk)
    page.sessions = [EventSession(title="Too late", day=datetime.date(2025, 10, 9))]
    with pytest.raises(ValidationError, match="Too late"):
        page.clean()
    page.sessions = [EventSession(title="In time", day=SECOND)]
    page.clean()


def test_the_programme_queries_do_not_grow_with_sessions_and_linked_speakers(client):
    from tests.cases.test_events import queries

    organisations = [OrganisationFactory(name=f"Force {n}") for n in range(6)]
    for organisation in organisations:
        CaseStudyPageFactory(organisation=organisation)
    event = forum(time_zone="Europe/Amsterdam")

    def add(n, start):
        for i in range(start, start + n):
            session(
                event,
                f"Session {i}",
                FIRST,
                f"{9 + i:02d}:00",
                speakers=speaker_blocks(
                    ("Speaker", "", organisations[i % 6]),
                    ("Other", "", organisations[(i + 1) % 6]),
                ),
            )

    add(1, 0)
    few, soup = queries(client, event.url)
    assert len(soup.select(".session__who a")) == 2
    add(5, 1)
    many, soup = queries(client, event.url)
    assert len(soup.select(".session__who a")) == 12
    assert few == many, f"{few} queries with 1 session, {many} with 6"


def test_the_admin_saves_a_timed_session_and_refuses_slides_that_are_not_web_addresses(client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    from cases.models import EventIndexPage

    client.force_login(
        get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    )
    index = EventIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=["cases", "eventpage", index.pk])
    session_data = {
        "title": "Opening",
        "day": "2025-10-07",
        "start_time": "09:30",
        "end_time": "10:00",
        "room": "Main hall",
        "speakers": streamfield(
            [("speaker", {"name": "Chair", "organisation": "Forum", "organisation_page": ""})]
        ),
        "abstract": "",
        "slides_url": "ftp://files.example/opening.pdf",
        "video_url": "",
    }

    def form(session):
        return nested_form_data(
            {
                "title": "Forum",
                "slug": "forum",
                "start_date": "2025-10-07",
                "end_date": "2025-10-08",
                "date_precision": "day",
                "venue": "",
                "city": "Rotterdam",
                "country": "NL",
                "time_zone": "Europe/Amsterdam",
                "website": "",
                "description": rich_text(""),
                "sessions": inline_formset([session]),
            }
        )

    response = client.post(url, form(session_data))
    assert response.status_code == 200  # the form again, keeping what was typed
    page = response.content.decode()
    assert "Enter an http:// or https:// address." in page
    assert "ftp://files.example/opening.pdf" in page
    assert not EventPage.objects.filter(slug="forum").exists()

    session_data["slides_url"] = "https://files.example/opening.pdf"
    assert client.post(url, form(session_data)).status_code == 302
    saved = EventPage.objects.get(slug="forum").sessions.get()
    assert (saved.day, saved.start_time, saved.room, saved.slides_url) == (
        FIRST,
        datetime.time(9, 30),
        "Main hall",
        "https://files.example/opening.pdf",
    )
    assert saved.speakers.raw_data[0]["value"]["name"] == "Chair"
