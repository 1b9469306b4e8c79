"""Moderators merge duplicate organisations in the admin: cases (live and draft) and
revisions move to the kept one, the duplicates' names become its aliases, and the library
and search show one organisation."""

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import Revision

from cases.models import CaseStudyPage, Organisation
from search.query import SearchQuery
from search.service import get_search_service
from tests.cases.test_library import facet_counts
from tests.factories import CaseStudyPageFactory, OrganisationFactory
from tests.helpers import html

pytestmark = pytest.mark.django_db
URL = "/admin/organisations/merge/"


def make_user(name, **extra):
    user = get_user_model().objects.create_user(
        name, f"{name}@example.org", "a-long-test-passphrase", **extra
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def moderator_client(client):
    user = make_user("mod")
    user.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(user)
    return client


@pytest.fixture
def three(django_capture_on_commit_callbacks):
    """One force entered three ways, each with a published case; the short one also with
    a member's draft whose earlier revision names it."""
    keep = OrganisationFactory(name="Greater Manchester Police", aliases="Manchester Police")
    spaced = OrganisationFactory(name="Greater Manchester Police (GM)")
    short = OrganisationFactory(name="GMP", aliases="G.M.P.")
    cases = [
        CaseStudyPageFactory(organisation=org, title=f"Case of {org.name}")
        for org in (keep, spaced, short)
    ]
    draft = CaseStudyPageFactory(organisation=short, live=False, title="Draft naming GMP")
    draft.save_revision()
    return keep, spaced, short, cases, draft


def test_merge_moves_cases_drafts_and_revisions_and_keeps_the_names_as_aliases(
    moderator_client, three, django_capture_on_commit_callbacks
):
    keep, spaced, short, cases, draft = three
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            URL, {"keep": keep.pk, "duplicates": [spaced.pk, short.pk, keep.pk]}
        )
    assert response.status_code == 302
    assert list(Organisation.objects.all()) == [keep]
    keep.refresh_from_db()
    assert keep.alias_list[0] == "Manchester Police"
    assert sorted(keep.alias_list) == sorted(
        ["Manchester Police", "Greater Manchester Police (GM)", "GMP", "G.M.P."]
    )
    pks = [c.pk for c in cases] + [draft.pk]
    moved = CaseStudyPage.objects.filter(pk__in=pks).values_list("organisation", flat=True)
    assert set(moved) == {keep.pk}
    for revision in Revision.page_revisions.filter(object_id__in=[str(pk) for pk in pks]):
        assert revision.content["organisation"] == keep.pk
    # Published pages name the kept organisation; the merged name now finds it.
    assert Organisation.objects.matching("gmp") == keep


def test_after_a_merge_the_library_and_search_show_one_organisation(
    moderator_client, client, three, django_capture_on_commit_callbacks
):
    keep, spaced, short, cases, _draft = three
    assert len(facet_counts(html(client.get("/cases/")), "organisation")) == 3
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(URL, {"keep": keep.pk, "duplicates": [spaced.pk, short.pk]})
    assert facet_counts(html(client.get("/cases/")), "organisation") == {keep.slug: 3}
    results = get_search_service().search(SearchQuery(text="GMP"))
    assert {c.external_id for c in cases} <= {hit.external_id for hit in results.hits}
    page = client.get(cases[2].url).content.decode()
    assert "Greater Manchester Police" in page


def test_keeping_one_of_the_duplicates_only_is_refused(moderator_client, three):
    keep, *_ = three
    response = moderator_client.post(URL, {"keep": keep.pk, "duplicates": [keep.pk]})
    assert response.status_code == 200
    assert "other than the organisation you keep" in response.content.decode()
    assert Organisation.objects.count() == 3


def test_the_form_is_there_for_moderators_and_the_listing_links_to_it(
    moderator_client, client, three
):
    doc = html(moderator_client.get(URL))
    assert doc.select("input[name=duplicates]") and doc.select("select[name=keep]")
    admin = make_user("admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get(reverse("wagtailsnippets_cases_organisation:list"))
    assert f'href="{URL}"' in listing.content.decode()


@pytest.mark.parametrize("who", ["member", "staff without rights"])
def test_members_and_others_cannot_merge(client, three, who):
    extra = {"is_staff": True} if who != "member" else {}
    user = make_user("someone", **extra)
    if who != "member":
        # In the admin, but neither a moderator nor allowed to change organisations.
        from django.contrib.auth.models import Permission

        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    keep, spaced, short, *_ = three
    response = client.post(URL, {"keep": keep.pk, "duplicates": [spaced.pk]})
    assert response.status_code in (302, 403)
    assert Organisation.objects.count() == 3
    assert client.get(URL).status_code in (302, 403)


def test_moderators_reach_the_merge_form_from_the_listing_s_bulk_action(moderator_client, three):
    keep, spaced, short, *_ = three
    listing = moderator_client.get(reverse("wagtailsnippets_cases_organisation:list"))
    assert listing.status_code == 200
    assert f'href="{URL}"' in listing.content.decode()
    bulk = reverse("wagtail_bulk_action", args=["cases", "organisation", "merge"])
    response = moderator_client.get(f"{bulk}?id={spaced.pk}&id={short.pk}")
    assert response.status_code == 302
    doc = html(moderator_client.get(response["Location"]))
    ticked = {int(box["value"]) for box in doc.select("input[name=duplicates][checked]")}
    assert ticked == {spaced.pk, short.pk}


def merge(keep, *duplicates):
    from cases.organisations import merge_organisations

    merge_organisations(keep, list(duplicates))


def test_a_merged_organisations_address_leads_to_the_kept_one_for_good(client, three):
    keep, spaced, short, cases, draft = three
    old = reverse("cases:organisation", args=[short.slug])
    merge(keep, spaced, short)

    response = client.get(old + "?page=1")

    assert response.status_code == 301
    assert response["Location"] == reverse("cases:organisation", args=[keep.slug]) + "?page=1"
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("cases:organisation", args=["never-was"])).status_code == 404


@pytest.mark.parametrize(
    "name", ["search:export_csv", "search:export_jsonl", "search:api", "search:page"]
)
def test_listings_and_exports_filtered_by_a_merged_organisation_move_too(client, three, name):
    keep, spaced, short, cases, draft = three
    merge(keep, spaced, short)

    url = reverse(name)
    response = client.get(url, {"organisation": [short.slug, keep.slug], "theme": "x"})

    assert response.status_code == 301
    assert response["Location"] == f"{url}?organisation={keep.slug}&theme=x"


def test_the_library_filtered_by_a_merged_organisation_moves(client, three):
    keep, spaced, short, cases, draft = three
    merge(keep, short)

    response = client.get("/cases/", {"organisation": short.slug})

    assert response.status_code == 301
    assert response["Location"] == f"/cases/?organisation={keep.slug}"


def test_chained_merges_reach_the_last_organisation_in_one_step(client, three):
    keep, spaced, short, cases, draft = three
    merge(spaced, short)  # A into B
    merge(keep, spaced)  # then B into C

    for gone in (short, spaced):
        response = client.get(reverse("cases:organisation", args=[gone.slug]))
        assert response.status_code == 301
        assert response["Location"] == reverse("cases:organisation", args=[keep.slug])


def test_a_new_organisation_never_takes_an_address_that_leads_elsewhere(three):
    from django.core.exceptions import ValidationError

    keep, spaced, short, cases, draft = three
    merge(keep, short)

    newcomer = Organisation.objects.create(name=short.name, country="GB")
    assert newcomer.slug != short.slug

    newcomer.slug = short.slug
    with pytest.raises(ValidationError) as refused:
        newcomer.full_clean()
    assert "slug" in refused.value.message_dict


def test_an_import_never_gives_a_new_organisation_an_address_that_leads_elsewhere(three):
    """The importer makes its organisations' slugs in bulk, from one read of the taken
    and kept slugs: a record naming a force spelt like a merged one's old name gets a
    new slug, not the kept one."""
    import json

    from cases.interchange.importer import CaseImporter

    keep, spaced, short, cases, draft = three
    merge(keep, short)
    record = {
        "external_id": "new-force-case",
        "title": "A case from a force spelt like the old one",
        "summary": "Its organisation is new to the site.",
        "organisation": "GMP!",  # slugified, the merged organisation's kept "gmp"
        "country": "GB",
        "published": "2024-05-01",
        "themes": ["crisis-communication"],
    }

    report = CaseImporter().run([json.dumps(record)])

    assert report.created == 1, report.problems
    newcomer = Organisation.objects.get(name="GMP!")
    assert short.slug == "gmp" and newcomer.slug == "gmp-2"


def test_should_a_live_organisation_hold_the_address_it_wins(client, three):
    keep, spaced, short, cases, draft = three
    merge(keep, short)
    # Written straight to the database, past the checks: the live organisation is shown.
    Organisation.objects.filter(pk=spaced.pk).update(slug=short.slug)

    response = client.get(reverse("cases:organisation", args=[short.slug]))

    assert response.status_code == 200
    assert spaced.name in response.content.decode()
    assert client.get("/cases/", {"organisation": short.slug}).status_code == 200
    # Merged in turn, the address leads to where the live organisation went.
    merge(keep, spaced)
    response = client.get(reverse("cases:organisation", args=[short.slug]))
    assert response["Location"] == reverse("cases:organisation", args=[keep.slug])
