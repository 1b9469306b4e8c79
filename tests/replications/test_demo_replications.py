"""The demo library's replications: each names a demo case, uses the site's vocabularies,
and load_demo adds them once, approved, whatever number of runs."""

import json

import pytest

from django.core.management import call_command

from cases.choices import Evidence, Result
from cases.demo.replications import REPLICATIONS_FILE
from cases.models import Replication
from cases.replications.trail import summary
from tests.cases.test_demo import RECORDS

ENTRIES = json.loads(REPLICATIONS_FILE.read_text(encoding="utf-8"))["replications"]


def test_every_demo_replication_names_a_demo_case_and_known_values():
    ids = {record["external_id"] for record in RECORDS}
    for entry in ENTRIES:
        assert entry["case"] in ids
        assert entry["result"] in Result.values and entry["evidence"] in Evidence.values


@pytest.mark.django_db
def test_load_demo_adds_the_replications_once(capsys):
    call_command("load_demo")
    assert f"Demo replications: {len(ENTRIES)} added." in capsys.readouterr().out
    call_command("load_demo")
    assert "Demo replications: 0 added." in capsys.readouterr().out

    assert Replication.objects.approved().count() == len(ENTRIES)
    page = Replication.objects.get(organisation_name="Northshire Constabulary").page
    assert summary(list(page.replications.approved())) == (
        "Tried by 3 forces in 3 countries: 1 worked, 1 promising, 1 mixed."
    )
