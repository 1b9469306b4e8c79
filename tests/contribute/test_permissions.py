"""Who may do what with a contribution: every role against every contributor and moderation
URL and action. Refusals are 404 for another member's pages (their existence is not given
away) and a sign-in redirect for visitors."""

import pytest

from django.urls import reverse

from cases.contribute.submissions import State, submission
from cases.models import CaseStudyPage
from tests.contribute.conftest import make_user

ROLES = ["anonymous", "unverified", "member", "owner", "other", "moderator", "admin"]


@pytest.fixture
def people(db, moderator, admin_user):
    owner = make_user("owner@example.org")
    return {
        "anonymous": None,
        "unverified": make_user("unverified@example.org", verified=False),
        "member": make_user("member@example.org"),
        "owner": owner,
        "other": make_user("other@example.org"),
        "moderator": moderator,
        "admin": admin_user,
    }


@pytest.fixture
def draft(client, people, contribution_data):
    client.force_login(people["owner"])
    client.post("/contribute/", {**contribution_data, "action": "save"})
    client.logout()
    return CaseStudyPage.objects.get(contributor=people["owner"])


def as_role(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
    return client


def is_login_redirect(response):
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


# (role, may view/edit the draft on the site, may see the admin editor)
EXPECTED = {
    "anonymous": (False, False),
    "unverified": (False, False),
    "member": (False, False),
    "owner": (True, False),
    "other": (False, False),
    "moderator": (False, True),
    "admin": (False, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_edit_and_preview_the_draft(client, people, draft, role):
    as_role(client, people, role)
    for url in (f"/contribute/{draft.pk}/edit/", f"/contribute/{draft.pk}/preview/"):
        response = client.get(url)
        if EXPECTED[role][0]:
            assert response.status_code == 200, url
            assert draft.draft_title in response.content.decode()
        elif role == "anonymous":
            assert is_login_redirect(response), url
        else:
            assert response.status_code in (200, 404), url
            assert draft.draft_title not in response.content.decode(), (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_change_the_draft_through_the_form(client, people, draft, contribution_data, role):
    as_role(client, people, role)
    client.post(
        f"/contribute/{draft.pk}/edit/",
        {**contribution_data, "title": "Hijacked", "action": "save"},
    )
    draft.refresh_from_db()
    assert (draft.draft_title == "Hijacked") is EXPECTED[role][0]


@pytest.mark.parametrize("role", ROLES)
def test_submit_the_draft(client, people, draft, role):
    as_role(client, people, role)
    client.post(f"/contribute/{draft.pk}/submit/")
    expected = State.IN_REVIEW if role == "owner" else State.DRAFT
    assert submission(draft).state == expected


@pytest.mark.parametrize("role", ROLES)
def test_delete_the_draft(client, people, draft, role):
    as_role(client, people, role)
    client.post(f"/contribute/{draft.pk}/delete/")
    assert CaseStudyPage.objects.filter(pk=draft.pk).exists() is (role != "owner")


@pytest.mark.parametrize("role", ROLES)
def test_see_the_draft_in_public_and_in_lists(client, people, draft, role):
    as_role(client, people, role)
    assert client.get(f"/cases/{draft.slug}/").status_code == 404
    mine = client.get("/contribute/mine/")
    if role == "owner":
        assert draft.draft_title in mine.content.decode()
    else:
        assert draft.draft_title not in mine.content.decode()
    assert draft.draft_title not in client.get("/cases/").content.decode()
    assert draft.draft_title not in client.get("/api/search/?q=Ghent").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_open_the_admin_editor(client, people, draft, role):
    as_role(client, people, role)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    if EXPECTED[role][1]:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)
        assert draft.draft_title not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_approve_a_submission(client, people, draft, role, django_capture_on_commit_callbacks):
    client.force_login(people["owner"])
    client.post(f"/contribute/{draft.pk}/submit/")
    client.logout()
    task_state = draft.current_workflow_task_state
    as_role(client, people, role)
    url = reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"comment": ""})
    draft.refresh_from_db()
    assert draft.live is EXPECTED[role][1]


@pytest.mark.parametrize("role", ROLES)
def test_nobody_sees_another_members_email(
    client, people, draft, role, django_capture_on_commit_callbacks
):
    """The owner's address appears on no page anyone else can open: profile, published case,
    library, search, the contribution pages."""
    owner = people["owner"]
    client.force_login(owner)
    client.post(f"/contribute/{draft.pk}/submit/")
    client.force_login(people["moderator"])
    task_state = draft.current_workflow_task_state
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(
                "wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk]
            )
        )
    client.logout()
    draft.refresh_from_db()
    as_role(client, people, role)
    urls = [draft.url, "/cases/", "/search/?q=Ghent", "/api/search/?q=Ghent", "/contribute/mine/"]
    urls.append(owner.profile.get_absolute_url())
    for url in urls:
        body = client.get(url, follow=True).content.decode()
        if role != "owner":
            assert owner.email not in body, (role, url)
            assert "owner@example" not in body, (role, url)


def test_an_organisation_named_only_by_a_draft_stays_private(client, draft):
    """The form creates the organisation it names; until a moderator publishes a case of
    theirs, its name is on no public page or suggestion."""
    organisation = draft.get_latest_revision_as_object().organisation
    assert client.get(f"/organisations/{organisation.slug}/").status_code == 404
    assert organisation.name not in client.get("/organisations/").content.decode()
    suggestions = client.get("/api/search/suggest/?q=Politiezone").json()
    assert organisation.name not in str(suggestions)


def test_an_organisation_named_only_by_a_draft_is_no_filter_value(client, draft, make_case):
    """Filters, chips, facet labels and the API know only organisations with a published
    case, so a draft's organisation name never reaches the public that way either."""
    from cases.facets import value_labels

    organisation = draft.get_latest_revision_as_object().organisation
    query = f"organisation={organisation.slug}"
    for url in (f"/cases/?{query}", f"/search/?{query}", f"/search/?q=shift&{query}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert organisation.name not in response.content.decode(), url
    api = client.get(f"/api/search/?{query}")
    assert api.status_code == 400
    assert organisation.name not in api.content.decode()
    assert value_labels("organisation", {organisation.slug}) == {}

    make_case(organisation=organisation)  # published: now a public filter value
    assert organisation.name in client.get(f"/cases/?{query}").content.decode()
    assert client.get(f"/api/search/?{query}").status_code == 200
    assert value_labels("organisation", {organisation.slug}) == {
        organisation.slug: organisation.name
    }
