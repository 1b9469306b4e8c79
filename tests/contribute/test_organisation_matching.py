"""The contribution form resolves what a member types to a known organisation (name or
alias, whatever the case and spacing) and offers the known ones as they type."""

import pytest

from cases.models import CaseStudyPage, Organisation
from tests.factories import CaseStudyPageFactory, OrganisationFactory
from tests.helpers import html


@pytest.fixture
def gmp(db):
    organisation = OrganisationFactory(
        name="Greater Manchester Police", country="GB", aliases="GMP\nManchester Police"
    )
    CaseStudyPageFactory(organisation=organisation)  # published, so public
    return organisation


def post_draft(client, data, organisation):
    data = {**data, "organisation": organisation, "action": "save"}
    response = client.post("/contribute/", data)
    assert response.status_code == 302, response.content[:300]
    return CaseStudyPage.objects.filter(contributor__isnull=False).latest("pk")


@pytest.mark.parametrize(
    "typed",
    [
        "Greater Manchester Police ",
        "greater  manchester POLICE",
        "GMP",
        "gmp",
        " manchester police",
    ],
)
def test_typed_names_and_aliases_resolve_to_the_known_organisation(
    member_client, contribution_data, gmp, typed
):
    page = post_draft(member_client, contribution_data, typed)
    assert page.organisation_id == gmp.pk
    assert Organisation.objects.count() == 1


def test_three_spellings_make_one_organisation(member_client, contribution_data, gmp):
    for typed in ["GMP", "Greater Manchester Police ", "Greater Manchester Police"]:
        member_client.post(
            "/contribute/",
            {**contribution_data, "title": typed, "organisation": typed, "action": "save"},
        )
    assert Organisation.objects.count() == 1
    assert set(
        CaseStudyPage.objects.filter(contributor__isnull=False).values_list(
            "organisation_id", flat=True
        )
    ) == {gmp.pk}


def test_a_new_name_is_a_proposal_not_public_until_published(
    member_client, contribution_data, gmp, client
):
    page = post_draft(member_client, contribution_data, "Politiezone Gent")
    assert page.organisation.name == "Politiezone Gent"
    assert Organisation.objects.count() == 2
    assert list(Organisation.objects.public()) == [gmp]
    # Nor offered to the next member as they type.
    doc = html(member_client.get("/contribute/"))
    values = [o["value"] for o in doc.select("datalist#organisation-options option")]
    assert "Politiezone Gent" not in values


def test_the_form_offers_known_names_and_aliases(member_client, gmp):
    doc = html(member_client.get("/contribute/"))
    field = doc.select_one("input[name=organisation]")
    assert field["list"] == "organisation-options"
    options = {
        o["value"]: o.get("label", "") for o in doc.select("datalist#organisation-options option")
    }
    assert options["Greater Manchester Police"] == ""
    assert options["GMP"] == "Greater Manchester Police"
    assert options["Manchester Police"] == "Greater Manchester Police"


def test_a_name_beats_another_organisations_alias(db):
    met = OrganisationFactory(name="Metropolitan Police", aliases="Met\nCity Police")
    city = OrganisationFactory(name="City Police")
    assert Organisation.objects.matching("city police") == city
    assert Organisation.objects.matching("MET") == met
    assert Organisation.objects.matching("Metro") is None
    assert Organisation.objects.matching("  ") is None
