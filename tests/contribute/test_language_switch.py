"""Switching the interface language in the middle of a contribution form loses nothing:
the header's buttons submit the form itself (no JavaScript needed), and the same form comes
back in the new language with everything typed, unsaved, using none of the day's
allowance."""

import uuid
from urllib.parse import urlencode

from django.conf import settings as django_settings
from django.urls import reverse

from cases.models import CaseStudyPage, ContributionStart, KeptContribution
from commonground.members.models import MemberProfile
from tests.contribute.conftest import photo
from tests.helpers import html, text

NEW = "/contribute/"


def switch(client, data, to, page=None, back=NEW, **files):
    url = reverse("contribute:language", kwargs={"page_id": page.pk} if page else {})
    query = urlencode({"next": back})
    return client.post(f"{url}?{query}", {**data, **files, "interface_language": to})


def test_the_switchers_buttons_submit_the_contribution_form(member_client):
    doc = html(member_client.get(NEW))
    form = doc.select_one("form.form--contribute")
    buttons = doc.select(".language-switcher li button")
    assert len(buttons) == 5
    for button in buttons:
        assert button["form"] == form["id"]
        assert button["formaction"] == reverse("contribute:language") + "?next=%2Fcontribute%2F"
        assert button["name"] == "interface_language"
    # Enter in a field clicks the form's first submit button in the document: it saves a
    # draft, as before, rather than switching the language.
    first = doc.select(f"button[form={form['id']}], #{form['id']} button")[0]
    assert (first["name"], first["value"]) == ("action", "save")
    assert first.has_attr("hidden")
    # Elsewhere they post the switcher's own form, as before.
    mine = html(member_client.get(reverse("contribute:mine")))
    assert all(not b.has_attr("form") for b in mine.select(".language-switcher button"))
    assert {b["name"] for b in mine.select(".language-switcher button")} == {"language"}


def test_a_new_contribution_comes_back_in_the_new_language_with_everything_typed(
    member_client, member, contribution_data, settings
):
    settings.CONTRIBUTIONS_PER_DAY = 0  # switching uses none of the allowance
    key = str(uuid.uuid4())
    data = {**contribution_data, "title": "", "summary": "Half-written summary", "form_key": key}
    response = switch(member_client, data, "fr", hero_file=photo())
    assert response.status_code == 302 and response["Location"] == NEW
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert MemberProfile.objects.get(user=member).language == "fr"
    assert not CaseStudyPage.objects.exists()
    assert not ContributionStart.objects.exists()

    doc = html(member_client.get(NEW))
    assert doc.html["lang"] == "fr"
    assert text(doc.select_one("h1")) == "Proposer une étude de cas"
    assert doc.select_one("#id_summary").text.strip() == "Half-written summary"
    assert doc.select_one("#id_organisation")["value"] == "Politiezone Gent"
    assert doc.select_one("#id_case_date_0")["value"] == "18"
    assert doc.select_one(".kept-image") is not None  # the chosen image, stored
    assert "Tout ce que vous avez saisi est toujours là" in text(doc.select_one(".notice"))
    assert doc.select_one("#error-summary") is None  # no title yet is no mistake yet
    # The form's own key came back with it, so saving now starts one contribution.
    assert doc.select_one("input[name=form_key]")["value"] == key


def test_an_edit_form_comes_back_to_the_same_page_and_the_draft_is_unchanged(
    member_client, member, contribution_data
):
    member_client.post(NEW, {**contribution_data, "action": "save"})
    page = CaseStudyPage.objects.get(contributor=member)
    edit = reverse("contribute:edit", args=[page.pk])
    changed = {**contribution_data, "summary": "Not saved yet"}
    response = switch(member_client, changed, "de", page=page, back=edit)
    assert response["Location"] == edit
    assert page.get_latest_revision_as_object().summary == contribution_data["summary"]
    assert KeptContribution.objects.get(member=member).page == page

    doc = html(member_client.get(edit))
    assert doc.html["lang"] == "de"
    assert doc.select_one("#id_summary").text.strip() == "Not saved yet"
    # The new-contribution form is not affected.
    assert html(member_client.get(NEW)).select_one(".notice") is None

    # Going back to the saved version forgets what was kept.
    member_client.get(edit + "?discard=1")
    assert (
        html(member_client.get(edit)).select_one("#id_summary").text.strip()
        == (contribution_data["summary"])
    )
    assert not KeptContribution.objects.exists()


def test_saving_removes_what_the_switch_kept(member_client, member, contribution_data):
    switch(member_client, contribution_data, "nl")
    assert KeptContribution.objects.filter(member=member, page=None).exists()
    member_client.post(NEW, {**contribution_data, "action": "save"})
    assert not KeptContribution.objects.exists()


def test_another_members_contribution_cannot_be_switched_on(
    client, member, other_member, contribution_data
):
    client.force_login(member)
    client.post(NEW, {**contribution_data, "action": "save"})
    page = CaseStudyPage.objects.get(contributor=member)
    client.force_login(other_member)
    assert switch(client, contribution_data, "fr", page=page).status_code == 404
    assert not KeptContribution.objects.exists()


def test_a_return_address_elsewhere_is_not_followed(member_client, contribution_data):
    response = switch(member_client, contribution_data, "es", back="https://evil.example/")
    assert response["Location"] == NEW
