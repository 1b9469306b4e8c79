"""Conferences: /events/ (upcoming and past), an event's programme with the live write-ups
of each session and by theme, the case page's links back, and contributor credit."""

import datetime

import pytest

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cases.models import CaseStudyPage, EventIndexPage, EventPage, EventSession
from tests.factories import (
    CaseStudyPageFactory,
    EventPageFactory,
    EventSessionFactory,
    speaker_blocks,
)
from tests.helpers import html, text

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def event(title, start, end, **kwargs):
    return EventPageFactory(title=title, start_date=start, end_date=end, **kwargs)


def write_up(session, **kwargs):
    return CaseStudyPageFactory(event_session=session, **kwargs)


def titles(section):
    return [text(a) for a in section.select(".event-card__title a")]


# /events/


def test_the_index_splits_upcoming_from_past_around_today(client):
    event("Ended long ago", days(-120), days(-118))
    event("Ended yesterday", days(-3), days(-1))
    event("Ends today", days(-2), TODAY)
    event("Later", days(40), days(42))
    event("Sooner", days(10), days(10))
    soup = html(client.get("/events/"))
    upcoming = soup.find(attrs={"aria-labelledby": "upcoming-heading"})
    past = soup.find(attrs={"aria-labelledby": "past-heading"})
    assert titles(upcoming) == ["Ends today", "Sooner", "Later"]  # soonest first
    assert titles(past) == ["Ended yesterday", "Ended long ago"]  # newest first
    assert len(soup.find_all("h1")) == 1


def test_the_index_hides_unpublished_events_and_shows_empty_states(client):
    event("Draft meeting", days(5), days(6), live=False)
    soup = html(client.get("/events/"))
    assert "Draft meeting" not in soup.get_text()
    assert text(
        soup.find(attrs={"aria-labelledby": "upcoming-heading"}).select_one(".empty-state")
    )
    assert text(soup.find(attrs={"aria-labelledby": "past-heading"}).select_one(".empty-state"))


def test_each_event_shows_its_dates_place_and_counts_of_sessions_and_live_write_ups(client):
    conference = event("SMILE", datetime.date(2025, 3, 3), datetime.date(2025, 3, 5), country="NL")
    conference.city = "Amsterdam"
    conference.save_revision().publish()
    first, _second = EventSessionFactory(event=conference), EventSessionFactory(event=conference)
    write_up(first)
    write_up(first, live=False)
    card = html(client.get("/events/")).select_one(".event-card")
    assert card.select_one(".event-card__when").get_text() == "3–5 March 2025"
    assert text(card.select_one(".event-card__where")) == "Amsterdam, Netherlands"
    times = card.select("time")
    assert [t["datetime"] for t in times] == ["2025-03-03", "2025-03-05"]
    assert text(card.select_one(".event-card__counts")) == "2 sessions · 1 write-up"
    assert card.select_one("a")["href"] == conference.url


# Dates


@pytest.mark.parametrize(
    "start, end, precision, expected, machine",
    [
        ("2025-03-03", "2025-03-03", "day", "3 March 2025", ["2025-03-03"]),
        ("2025-03-03", "2025-03-05", "day", "3–5 March 2025", ["2025-03-03", "2025-03-05"]),
        ("2025-02-28", "2025-03-02", "day", "28 February – 2 March 2025", None),
        ("2024-12-30", "2025-01-02", "day", "30 December 2024 – 2 January 2025", None),
        ("2014-10-01", "2014-10-31", "month", "October 2014", ["2014-10"]),
        ("2014-10-01", "2014-11-30", "month", "October – November 2014", ["2014-10", "2014-11"]),
        ("2014-01-01", "2014-12-31", "year", "2014", ["2014"]),
        ("2014-01-01", "2015-12-31", "year", "2014–2015", ["2014", "2015"]),
    ],
)
def test_dates_are_worded_without_repeating_what_both_ends_share(
    start, end, precision, expected, machine
):
    page = EventPage(
        start_date=datetime.date.fromisoformat(start),
        end_date=datetime.date.fromisoformat(end),
        date_precision=precision,
    )
    assert page.dates_text == expected
    if machine:
        assert [iso for iso, _ in page.date_parts()] == machine
    assert html_fragment(page.dates_html()).get_text() == expected


def html_fragment(markup):
    from bs4 import BeautifulSoup

    return BeautifulSoup(str(markup), "html.parser")


def test_an_event_cannot_end_before_it_starts():
    page = EventPage(
        title="Backwards",
        slug="backwards",
        start_date=datetime.date(2025, 3, 5),
        end_date=datetime.date(2025, 3, 4),
    )
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "end_date" in error.value.message_dict
    page.end_date = page.start_date  # a one-day event is fine
    page.clean()


def test_the_admin_refuses_an_event_that_ends_before_it_starts(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    index = EventIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=["cases", "eventpage", index.pk])
    assert client.get(url).status_code == 200
    data = nested_form_data(
        {
            "title": "Backwards",
            "slug": "backwards",
            "start_date": "2025-03-05",
            "end_date": "2025-03-04",
            "date_precision": "day",
            "city": "Leeds",
            "country": "GB",
            "website": "",
            "description": rich_text(""),
            "sessions": inline_formset(
                [{"title": "Opening", "speakers": streamfield([]), "abstract": ""}]
            ),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "The event cannot end before it starts." in response.content.decode()
    assert not EventPage.objects.filter(slug="backwards").exists()
    data["end_date"] = "2025-03-06"
    assert client.post(url, data).status_code == 302
    assert [s.title for s in EventPage.objects.get(slug="backwards").sessions.all()] == ["Opening"]


# The event page


def test_the_event_page_lists_each_session_with_only_its_live_write_ups(client):
    conference = event("SMILE", days(-30), days(-28))
    crisis = EventSessionFactory(
        event=conference,
        title="Digital principles in a crisis",
        speakers=speaker_blocks(
            ("A press officer", "Royal Canadian Mounted Police"), ("A chief inspector", "")
        ),
        themes=["crisis-communication", "wellbeing-and-resilience"],
        abstract="How do you stick to your principles?",
    )
    quiet = EventSessionFactory(event=conference, title="Supporting officers", themes=[])
    shown = write_up(crisis, title="Moncton", themes=["crisis-communication"])
    write_up(crisis, title="Draft write-up", live=False)
    CaseStudyPageFactory(title="Unrelated case")

    soup = html(client.get(conference.url))
    sessions = soup.select(".session")
    assert [s["id"] for s in sessions] == [f"session-{crisis.pk}", f"session-{quiet.pk}"]
    first, second = sessions
    assert text(first.select_one(".session__title")) == "Digital principles in a crisis"
    assert [li.get_text() for li in first.select(".session__who li")] == [
        "A press officer, Royal Canadian Mounted Police",
        "A chief inspector",
    ]
    assert [a["href"] for a in first.select(".tag")] == [
        "/themes/crisis-communication/",
        "/themes/wellbeing-and-resilience/",
    ]
    assert text(first.select_one(".session__abstract")) == "How do you stick to your principles?"
    links = first.select(".write-up__title")
    assert [(text(a), a["href"]) for a in links] == [("Moncton", shown.url)]
    assert shown.organisation.name in text(first.select_one(".write-up"))
    assert second.select(".write-up") == []
    page_text = soup.get_text()
    assert "Draft write-up" not in page_text and "Unrelated case" not in page_text
    assert len(soup.find_all("h1")) == 1


def test_write_ups_are_grouped_by_their_themes(client):
    conference = event("SMILE", days(-30), days(-28))
    one, two = EventSessionFactory(event=conference), EventSessionFactory(event=conference)
    write_up(
        one, title="Floods", themes=["crisis-communication", "information-sharing-and-appeals"]
    )
    write_up(two, title="Grief", themes=["crisis-communication"])
    write_up(two, title="Hidden", themes=["recruitment"], live=False)
    section = html(client.get(conference.url)).find(attrs={"aria-labelledby": "by-theme-heading"})
    groups = {
        text(h3.a): [text(a) for a in h3.find_next_sibling("ul").select(".write-up__title")]
        for h3 in section.find_all("h3")
    }
    # Themes A-Z; within a theme, newest case first (the factory dates each case later).
    assert groups == {
        "Crisis communication": ["Grief", "Floods"],
        "Information sharing and appeals": ["Floods"],
    }
    assert section.select_one("h3 a")["href"] == "/themes/crisis-communication/"


def test_an_event_without_write_ups_says_so(client):
    conference = event("Quiet meeting", days(20), days(21))
    EventSessionFactory(event=conference)
    soup = html(client.get(conference.url))
    section = soup.find(attrs={"aria-labelledby": "by-theme-heading"})
    assert section.select_one(".empty-state")
    assert soup.select_one(".eyebrow").get_text() == "Upcoming event"


def test_markup_in_sessions_is_shown_as_text_never_run(client):
    conference = event("SMILE", days(-30), days(-28))
    EventSessionFactory(
        event=conference,
        title="<script>alert('title')</script>",
        speakers=speaker_blocks(("<b>Eve</b>", "<i>Org</i>"), ("Mallory", "")),
        room="<u>Hall</u>",
        abstract="<img src=x onerror=alert(1)>",
    )
    response = client.get(conference.url)
    soup = html(response)
    session = soup.select_one(".session")
    assert session.find("script") is None
    assert session.find("img") is None
    assert session.find("b") is None and session.find("i") is None
    assert text(session.select_one(".session__title")) == "<script>alert('title')</script>"
    assert session.find("u") is None
    assert "<b>Eve</b>, <i>Org</i>" in session.select_one(".session__who").get_text()
    assert text(session.select_one(".session__room")).endswith("<u>Hall</u>")
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.content.decode()


# Links both ways between a write-up and its session


def test_a_write_up_links_to_its_session_and_the_session_links_back(client):
    conference = event("SMILE 2014", datetime.date(2014, 10, 6), datetime.date(2014, 10, 8))
    session = EventSessionFactory(event=conference, title="Keeping your principles")
    case = write_up(session, title="Moncton")

    aside = html(client.get(case.url)).select_one(".from-conference")
    assert text(aside.find("h2")) == "From the conference"
    hrefs = {text(a): a["href"] for a in aside.find_all("a")}
    assert hrefs == {
        "Keeping your principles": f"{conference.url}#session-{session.pk}",
        "SMILE 2014": conference.url,
    }
    assert "6–8 October 2014" in aside.get_text()
    assert [t["datetime"] for t in aside.find_all("time")] == ["2014-10-06", "2014-10-08"]

    target = html(client.get(conference.url)).find(id=f"session-{session.pk}")
    assert [a["href"] for a in target.select(".write-up__title")] == [case.url]


def test_a_case_without_a_session_or_with_an_unpublished_event_has_no_conference_block(client):
    assert html(client.get(CaseStudyPageFactory().url)).select_one(".from-conference") is None
    conference = event("Withdrawn", days(-10), days(-9))
    case = write_up(EventSessionFactory(event=conference))
    assert html(client.get(case.url)).select_one(".from-conference")
    conference.unpublish()
    assert html(client.get(case.url)).select_one(".from-conference") is None


# Contributor credit on the case page


def credit(client, case):
    node = html(client.get(case.url)).select_one(".case__contributor")
    return node and text(node)


def test_a_contributed_case_credits_the_member_with_a_link_to_their_profile(client):
    member = get_user_model().objects.create_user("jane", "jane@example.org", "pw")
    member.profile.display_name = "Jane <Doe>"
    member.profile.save()
    case = CaseStudyPageFactory()
    CaseStudyPage.objects.filter(pk=case.pk).update(contributor=member, contributed=True)
    node = html(client.get(case.url)).select_one(".case__contributor")
    assert text(node) == "Contributed by Jane <Doe>"
    assert node.a["href"] == member.profile.get_absolute_url()
    assert node.a["href"].startswith("/members/")


def test_a_case_whose_contributor_left_credits_a_former_member(client):
    member = get_user_model().objects.create_user("leaver", "leaver@example.org", "pw")
    case = CaseStudyPageFactory()
    CaseStudyPage.objects.filter(pk=case.pk).update(contributor=member, contributed=True)
    member.delete()  # SET_NULL: the case stays
    assert credit(client, case) == "Contributed by a former member"


def test_a_case_written_by_the_editors_has_no_contributor_credit(client):
    assert credit(client, CaseStudyPageFactory()) is None


# Queries stay the same however much there is


def queries(client, url):
    html(client.get(url))  # warm: renditions, site root paths
    with CaptureQueriesContext(connection) as context:
        soup = html(client.get(url))
    return len(context.captured_queries), soup


def add_events(count, start):
    for n in range(start, start + count):
        offset = n * 7 if n % 2 else -n * 7 - 1
        conference = event(f"Event {n}", days(offset), days(offset + 1))
        session = EventSessionFactory(event=conference, themes=["recruitment", "data-and-insight"])
        EventSessionFactory(event=conference)
        write_up(session)


@pytest.mark.usefixtures("views_rendered")
def test_the_event_index_queries_do_not_grow_with_the_number_of_events(client):
    add_events(2, 0)
    few, soup = queries(client, "/events/")
    assert len(soup.select(".event-card")) == 2
    add_events(8, 2)
    many, soup = queries(client, "/events/")
    assert len(soup.select(".event-card")) == 10
    assert few == many, f"{few} queries with 2 events, {many} with 10"


@pytest.mark.usefixtures("views_rendered")
def test_the_event_page_queries_do_not_grow_with_the_number_of_write_ups(client):
    conference = event("SMILE", days(-30), days(-28))
    sessions = [
        EventSessionFactory(event=conference, themes=["recruitment", "data-and-insight"])
        for _ in range(3)
    ]
    for n in range(2):
        write_up(sessions[n], themes=["recruitment", "crisis-communication"])
    few, soup = queries(client, conference.url)
    assert len(soup.select(".session .write-up")) == 2
    for n in range(8):
        write_up(sessions[n % 3], themes=["recruitment", "wellbeing-and-resilience"])
    many, soup = queries(client, conference.url)
    assert len(soup.select(".session .write-up")) == 10
    assert few == many, f"{few} queries with 2 write-ups, {many} with 10"


# Editing


def test_the_event_edit_form_with_its_programme_renders_in_the_admin(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    session = EventSessionFactory(title="Keeping your principles")
    response = client.get(reverse("wagtailadmin_pages:edit", args=[session.event.pk]))
    assert response.status_code == 200
    assert "Keeping your principles" in response.content.decode()
    case = CaseStudyPageFactory()
    form = client.get(reverse("wagtailadmin_pages:edit", args=[case.pk])).content.decode()
    assert f"{session.event.title}: Keeping your principles" in form


def test_a_draft_programme_can_be_previewed_before_it_is_published(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    published = EventSessionFactory(title="Published session")
    page = EventPage.objects.get(pk=published.event.pk)
    page.sessions = [*page.sessions.all(), EventSession(title="Draft session")]
    page.save_revision()
    draft = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert draft.status_code == 200
    assert "Draft session" in draft.content.decode()
    assert "Draft session" not in client.get(page.url).content.decode()
