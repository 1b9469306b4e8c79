"""Markup typed into any field of a contribution is shown as text on every page showing it."""

import pytest
from bs4 import BeautifulSoup

from django.urls import reverse

from cases.models import CaseStudyPage, EventSession
from tests.contribute.conftest import photo
from tests.factories import EventPageFactory

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert("

TEXT_FIELDS = [
    "title",
    "summary",
    "organisation",
    "body",
    "lessons_worked",
    "lessons_challenge",
    "lessons_advice",
    "source_event",
    "authors",
    "hero_alt",
    "image_1_alt",
    "image_1_caption",
]


@pytest.fixture
def published(client, member, moderator, contribution_data, django_capture_on_commit_callbacks):
    event = EventPageFactory()
    session = EventSession.objects.create(event=event, title="Talk")
    data = {field: f"{field} {PAYLOAD}" for field in TEXT_FIELDS}
    data["outcomes"] = f"Reach {PAYLOAD}: 10 {PAYLOAD}"
    data["event_session"] = str(session.pk)
    client.force_login(member)
    client.post(
        "/contribute/",
        {
            **contribution_data,
            **data,
            "hero_file": photo(),
            "image_1_file": photo("two.png", fmt="PNG"),
            "action": "submit",
        },
    )
    page = CaseStudyPage.objects.get(contributor=member)
    mine = client.get("/contribute/mine/").content.decode()
    client.force_login(moderator)
    task_state = page.current_workflow_task_state
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
        )
    client.logout()
    page.refresh_from_db()
    assert page.live
    return page, event, mine


def assert_shown_as_text(body: str, where: str):
    """No element the payload could have made: no script with its code, no onerror."""
    doc = BeautifulSoup(body, "html.parser")
    assert not [s for s in doc.find_all("script") if "alert" in s.get_text()], where
    assert not doc.find_all(attrs={"onerror": True}), where
    assert not doc.find_all("img", src="x"), where


def test_markup_in_every_field_is_text_on_every_page(client, member, published):
    page, event, mine = published
    urls = [
        page.url,
        "/cases/",
        f"/organisations/{page.organisation.slug}/",
        f"/themes/{page.themes.first().slug}/",
        "/search/?q=summary",
        "/",
        event.url,
        member.profile.get_absolute_url(),
    ]
    case_page = client.get(page.url).content.decode()
    for field in ("title", "summary", "body", "lessons_worked", "authors", "hero_alt"):
        assert f"{field} {ESCAPED}" in case_page, field
    assert_shown_as_text(case_page, page.url)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_shown_as_text(response.content.decode(), url)
    assert_shown_as_text(mine, "/contribute/mine/")
    assert f"title {ESCAPED}" in mine
    api = client.get("/api/search/?q=summary").json()
    assert any(hit["title"].startswith("title <script>") for hit in api["results"])


def test_markup_in_the_form_is_redisplayed_as_text(client, member, contribution_data):
    client.force_login(member)
    response = client.post(
        "/contribute/", {**contribution_data, "title": PAYLOAD, "summary": "", "action": "submit"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert_shown_as_text(body, "form")
    assert "&lt;script&gt;" in body
