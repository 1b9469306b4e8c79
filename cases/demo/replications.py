"""The demo library's replications ("we tried this too", cases/demo/replications.json):
approved, by no member, loaded once however often load_demo runs. A replication is the same
one when its case, organisation and date are; one already there is left as it is (a
moderator may have rejected it since). The cases whose trail changed are refreshed through
the one lifecycle."""

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cases.dates import from_iso
from cases.models import CaseStudyPage, Organisation, Replication
from cases.signals import cases_changed

REPLICATIONS_FILE = Path(__file__).resolve().parent / "replications.json"


@transaction.atomic
def load_replications() -> int:
    """Adds the demo replications not there yet; how many were added."""
    entries = json.loads(REPLICATIONS_FILE.read_text(encoding="utf-8"))["replications"]
    cases = CaseStudyPage.objects.live()
    pages = cases.in_bulk([e["case"] for e in entries], field_name="external_id")
    added, changed = 0, set()
    for entry in entries:
        page = pages.get(entry["case"])
        if page is None:  # the case was removed from this library
            continue
        tried_on, precision = from_iso(entry["tried"])
        _replication, created = Replication.objects.get_or_create(
            page=page,
            organisation_name=entry["organisation"],
            tried_on=tried_on,
            member=None,
            defaults={
                "organisation": Organisation.objects.public().matching(entry["organisation"]),
                "country": entry["country"],
                "tried_precision": precision,
                "changes": entry["changes"],
                "result": entry["result"],
                "evidence": entry["evidence"],
                "source_url": entry.get("source_url", ""),
                "status": Replication.Status.APPROVED,
                "decided_at": timezone.now(),
            },
        )
        if created:
            added += 1
            changed.add(page.pk)
    if changed:
        cases_changed.send(sender=Replication, page_ids=sorted(changed))
    return added
