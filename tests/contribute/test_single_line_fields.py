"""Single-line values (titles, names, alt text, captions, authors, outcomes...) are stored on
one line through every entry point: the contribution form, the Wagtail admin (page and
snippet edit views), and the models themselves. Multi-line text refuses control characters.
"""

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cases.models import CaseStudyPage, EventSession, Organisation, Platform, Theme
from tests.contribute.conftest import photo

pytestmark = pytest.mark.django_db

HEADER_INJECTION = "Newline title\r\nBcc: victim@example.org"


@pytest.fixture
def editor(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def latest(page):
    return CaseStudyPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def test_the_contribution_form_puts_single_line_fields_on_one_line(
    member_client, member, contribution_data
):
    data = {
        **contribution_data,
        "title": HEADER_INJECTION,
        "summary": "One shift,\r\nevery call.\x00",
        "organisation": "Politiezone\r\nGent",
        "source_event": "Social media\tday\u2028Ghent",
        "authors": "A.\tPeeters\u202e\nB. Claes\x0b",
        "outcomes": "Followers\u2028gained: 4,200\x07\nReplies: 900",
        "hero_alt": "Officers\r\nat the desk",
        "image_1_alt": "A\nchart",
        "image_1_caption": "Replies\r\nby hour",
        "action": "save",
    }
    response = member_client.post(
        "/contribute/", {**data, "hero_file": photo(), "image_1_file": photo("c.png", fmt="PNG")}
    )
    assert response.status_code == 302
    page = CaseStudyPage.objects.get(contributor=member)
    draft = latest(page)
    assert draft.title == page.draft_title == "Newline title Bcc: victim@example.org"
    assert draft.summary == "One shift, every call."
    assert draft.organisation.name == "Politiezone Gent"
    assert draft.source_event == "Social media day Ghent"
    assert draft.author_names == ["A. Peeters", "B. Claes"]
    assert [(o.value["label"], o.value["value"]) for o in draft.outcomes] == [
        ("Followers gained", "4,200"),
        ("Replies", "900"),
    ]
    assert draft.hero_alt == "Officers at the desk"
    figure = draft.body[-1].value
    assert (figure["alt_text"], figure["caption"]) == ("A chart", "Replies by hour")
    assert draft.hero_image.title == "Officers at the desk"


@pytest.mark.parametrize("field", ["body", "lessons_worked", "lessons_advice"])
def test_multi_line_text_with_control_characters_is_refused_and_kept(
    member_client, member, contribution_data, field
):
    typed = "First line\nwith an escape\x1b[31m and a bell\x07 in it."
    response = member_client.post(
        "/contribute/", {**contribution_data, field: typed, "action": "save"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "control characters" in errors[field][0]
    assert response.context["form"].data[field] == typed
    assert not CaseStudyPage.objects.filter(contributor=member).exists()
    assert not Organisation.objects.exists()


def test_a_title_of_only_control_characters_is_missing(member_client, member, contribution_data):
    response = member_client.post(
        "/contribute/", {**contribution_data, "title": "\r\n\x00\u200b", "action": "save"}
    )
    assert response.context["form"].errors["title"] == ["This field is required."]
    assert not CaseStudyPage.objects.filter(contributor=member).exists()


def admin_case_data(case, **changes):
    theme = case.themes.first()
    data = {
        "title": case.title,
        "slug": case.slug,
        "summary": case.summary,
        "organisation": case.organisation_id,
        "country": "GB",
        "case_date": "2020-01-01",
        "language": "en",
        "hero_image": "",
        "hero_alt": "",
        "body": streamfield([("paragraph", rich_text("<p>The story.</p>"))]),
        "lessons": streamfield([("worked", "A lesson.")]),
        "outcomes": streamfield([]),
        "result": "worked",
        "evidence": "monitored",
        "event_session": "",
        "source_event": "",
        "source_url": "",
        "authors": streamfield([]),
        "seo_title": "",
        "search_description": "",
        "external_id": case.external_id,
        "comments": inline_formset([]),
        **changes,
    }
    return {**nested_form_data(data), "themes": [str(theme.pk)]}


def test_the_admin_edit_view_of_a_case_stores_single_lines(editor, make_case):
    case = make_case()
    data = admin_case_data(
        case,
        title=HEADER_INJECTION,
        seo_title="SEO\ntitle",
        summary="A summary\r\nwith a break",
        source_event="Conf\r\nerence",
        body=streamfield(
            [
                ("heading", {"text": "Head\r\ning", "level": "h2"}),
                ("paragraph", rich_text("<p>The story.</p>")),
            ]
        ),
        outcomes=streamfield([("outcome", {"label": "Fol\nlowers", "value": "1\t200"})]),
        authors=streamfield([("author", "A.\u2028Peeters")]),
    )
    response = editor.post(reverse("wagtailadmin_pages:edit", args=[case.pk]), data)
    assert response.status_code == 302
    draft = latest(case)
    assert draft.title == "Newline title Bcc: victim@example.org"
    assert CaseStudyPage.objects.get(pk=case.pk).draft_title == draft.title
    assert draft.seo_title == "SEO title"
    assert draft.summary == "A summary with a break"
    assert draft.source_event == "Conf erence"
    assert draft.body[0].value["text"] == "Head ing"
    assert (draft.outcomes[0].value["label"], draft.outcomes[0].value["value"]) == (
        "Fol lowers",
        "1 200",
    )
    assert draft.author_names == ["A. Peeters"]


def test_the_admin_refuses_a_lesson_with_control_characters(editor, make_case):
    case = make_case()
    data = admin_case_data(case, lessons=streamfield([("worked", "A lesson\x1b[31m in red.")]))
    response = editor.post(reverse("wagtailadmin_pages:edit", args=[case.pk]), data)
    assert response.status_code == 200
    assert "control characters" in response.content.decode()
    assert Revision.objects.filter(object_id=str(case.pk)).count() == 1


@pytest.mark.parametrize("model", [Organisation, Platform, Theme])
def test_the_admin_edit_view_of_a_snippet_stores_one_line(editor, model):
    snippet = {
        Organisation: lambda: Organisation.objects.create(name="Some Police", country="GB"),
        Platform: lambda: Platform.objects.create(name="Some Platform"),
        Theme: lambda: Theme.objects.first(),
    }[model]()
    data = {"name": "Line one\r\nBcc: victim@example.org", "slug": snippet.slug}
    if model is Organisation:
        data.update(country="GB", website="")
    if model is Theme:
        data["description"] = "One\nsentence."
    url = reverse(f"wagtailsnippets_cases_{model._meta.model_name}:edit", args=[snippet.pk])
    response = editor.post(url, data)
    assert response.status_code == 302
    snippet.refresh_from_db()
    assert snippet.name == "Line one Bcc: victim@example.org"
    if model is Theme:
        assert snippet.description == "One sentence."


def test_models_store_one_line_whatever_path_saves_them(make_case):
    from tests.factories import EventPageFactory, speaker_blocks

    organisation = Organisation.objects.create(name="Police\r\nService\x00", country="GB")
    assert Organisation.objects.get(pk=organisation.pk).name == "Police Service"
    Platform.objects.bulk_create([Platform(name="Bulk\nplatform", slug="bulk")])
    assert Platform.objects.get(slug="bulk").name == "Bulk platform"

    event = EventPageFactory(title="Con\r\nference")
    session = EventSession.objects.create(
        event=event,
        title="Talk\r\ntitle",
        speakers=speaker_blocks(("A,\nB", "Org\tX")),
        room="Main\nhall",
    )
    session.refresh_from_db()
    speaker = session.speakers.raw_data[0]["value"]
    assert (session.title, speaker["name"], speaker["organisation"], session.room) == (
        "Talk title",
        "A, B",
        "Org X",
        "Main hall",
    )
    assert event.title == "Con ference"

    case = make_case()
    case.title = HEADER_INJECTION
    case.hero_alt = "Alt\ntext"
    case.authors = [("author", "Name\r\nBcc: x")]
    revision = case.save_revision()
    assert revision.content["title"] == "Newline title Bcc: victim@example.org"
    assert revision.content["hero_alt"] == "Alt text"
    revision.publish()
    stored = CaseStudyPage.objects.get(pk=case.pk)
    assert stored.title == stored.draft_title == "Newline title Bcc: victim@example.org"
    assert stored.author_names == ["Name Bcc: x"]


def test_an_event_session_abstract_refuses_control_characters():
    from django.core.exceptions import ValidationError

    from tests.factories import EventPageFactory

    session = EventSession(event=EventPageFactory(), title="Talk", abstract="Fine\nbut\x00")
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "control characters" in str(error.value)


def test_the_data_migration_puts_existing_rows_on_one_line(make_case):
    import importlib

    from django.apps import apps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    migration = importlib.import_module("cases.migrations.0008_single_line_rows")
    case = make_case()
    Organisation.objects.create(name="Twin Police", country="GB")
    twin = Organisation.objects.create(name="Other", country="GB")
    # Raw values, as rows stored before this release hold them (the ORM would clean them).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE wagtailcore_page SET title = %s WHERE id = %s", [HEADER_INJECTION, case.pk]
        )
        cursor.execute(
            "UPDATE cases_casestudypage SET summary = %s WHERE page_ptr_id = %s",
            ["S\r\nT", case.pk],
        )
        cursor.execute(
            "UPDATE cases_organisation SET name = %s WHERE id = %s", ["Twin\nPolice", twin.pk]
        )

    migration.put_on_one_line(apps, None)
    stored = CaseStudyPage.objects.get(pk=case.pk)
    assert (stored.title, stored.summary) == ("Newline title Bcc: victim@example.org", "S T")
    assert Organisation.objects.get(pk=twin.pk).name == "Twin Police (2)"
    with CaptureQueriesContext(connection) as queries:
        migration.put_on_one_line(apps, None)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
