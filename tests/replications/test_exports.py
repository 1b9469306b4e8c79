"""Approved replications in the API's case JSON and in both exports (JSON Lines and CSV);
an exported file with replications imports as before (the importer ignores them)."""

import csv
import io
import json

from django.core.management import call_command

from cases.interchange.exporter import iter_records
from cases.models import Replication

from .test_replications import make_replication

Status = Replication.Status


def lines(client, path, **params):
    return b"".join(client.get(path, params).streaming_content).decode()


def test_the_api_counts_approved_replications_only(client, case, member):
    make_replication(case, member, status=Status.APPROVED)
    make_replication(case, member, status=Status.APPROVED, organisation_name="Other")
    make_replication(case, member)  # pending: not counted

    body = client.get("/api/search/", {"q": "night shift"}).json()

    (hit,) = body["results"]
    assert hit["replications"] == 2
    tried = client.get("/api/search/", {"tried": "yes"}).json()
    assert [h["external_id"] for h in tried["results"]] == [case.external_id]


def test_jsonl_export_lists_approved_replications(client, case, member):
    make_replication(
        case,
        member,
        status=Status.APPROVED,
        organisation_name="Politiezone Gent",
        changes="On Instagram.",
        source_url="https://example.org/r",
    )
    make_replication(case, member, organisation_name="Pending Force")

    (line,) = lines(client, "/api/search/export.jsonl").splitlines()

    assert json.loads(line)["replications"] == [
        {
            "organisation": "Politiezone Gent",
            "country": "BE",
            "tried": "2023-04",
            "changes": "On Instagram.",
            "result": "worked",
            "evidence": "monitored",
            "source_url": "https://example.org/r",
        }
    ]


def test_a_case_without_approved_replications_exports_none(client, case, member):
    make_replication(case, member, status=Status.REJECTED)
    (line,) = lines(client, "/api/search/export.jsonl").splitlines()
    assert "replications" not in json.loads(line)


def test_csv_export_counts_approved_replications(client, case, member):
    for status in (Status.APPROVED, Status.APPROVED, Status.WITHDRAWN):
        make_replication(case, member, status=status)

    (row,) = csv.DictReader(io.StringIO(lines(client, "/api/search/export.csv")))

    assert row["replications"] == "2"


def test_an_export_with_replications_imports_unchanged(case, member, tmp_path):
    make_replication(case, member, status=Status.APPROVED)
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in iter_records()))
    out = io.StringIO()

    call_command("import_cases", str(path), stdout=out)

    assert "1 unchanged" in out.getvalue(), out.getvalue()
    assert Replication.objects.count() == 1
