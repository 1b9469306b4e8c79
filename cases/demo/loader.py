"""The demo library: cases/demo/cases.jsonl through the ordinary importer, its organisations'
aliases (cases/demo/aliases.py), generated hero images (cases/demo/images.json gives each
case a motif and its alt text), then the demo conferences with their write-ups
(cases/demo/events.json, through cases/demo/events.py) and the replications other forces
recorded (cases/demo/replications.json, through cases/demo/replications.py)."""

import json
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction

from wagtail.images import get_image_model
from wagtail.models import Collection

from cases.demo import ILLUSTRATIONS_COLLECTION
from cases.demo.aliases import apply_aliases
from cases.demo.artwork import render_artwork
from cases.demo.events import EventsReport, load_events
from cases.demo.replications import load_replications
from cases.interchange.importer import CaseImporter, ImportReport
from cases.interchange.lines import read_lines
from cases.models import CaseStudyPage, Organisation

DEMO_DIR = Path(__file__).resolve().parent
CASES_FILE = DEMO_DIR / "cases.jsonl"
IMAGES_FILE = DEMO_DIR / "images.json"
COLLECTION_NAME = ILLUSTRATIONS_COLLECTION


@dataclass
class DemoReport:
    cases: ImportReport
    images_added: int
    events: EventsReport
    replications_added: int = 0


def demo_images() -> dict[str, dict]:
    return json.loads(IMAGES_FILE.read_text(encoding="utf-8"))


def load_demo() -> DemoReport:
    """Import the demo cases, give each one without a hero image its generated picture,
    then load the demo events and link their write-ups."""
    with CASES_FILE.open("rb") as stream:
        report = CaseImporter().run(read_lines(stream))
    apply_aliases(Organisation)
    images = demo_images()
    pages = CaseStudyPage.objects.filter(external_id__in=images, hero_image__isnull=True)
    added = 0
    for page in pages:
        spec = images[page.external_id]
        with transaction.atomic():
            page.hero_image = _demo_image(page, spec["motif"])
            page.hero_alt = spec["alt"]
            page.save_revision(log_action=True).publish()
        added += 1
    events = load_events()
    return DemoReport(
        cases=report, images_added=added, events=events, replications_added=load_replications()
    )


def _demo_image(page: CaseStudyPage, motif: str):
    label = f"{page.country.code} · {page.case_date.year}"
    data = render_artwork(motif, page.external_id, label=label)
    collection = _collection()
    image = get_image_model()(
        title=f"Illustration: {page.title}"[:255],
        collection=collection,
        file=ImageFile(BytesIO(data), name=f"{page.external_id}.jpg"),
    )
    image.file_size = len(data)
    image.save()
    return image


def _collection():
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=COLLECTION_NAME).first()
    return existing or root.add_child(name=COLLECTION_NAME)
