"""When a published case changed enough for its followers to hear of it again.

A case is new in a digest once it is first published. It is "updated" when a later
publication changes what a reader acts on: its summary, its lessons, its outcomes or its
verdict (result and evidence). A corrected title, a new picture or an edited paragraph of
the story is not news. Each publication keeps a fingerprint of those parts (CaseChange), in
the transaction that publishes, and the moment they last changed.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from commonground.following.models import CaseChange


def _stream(value) -> list:
    """A StreamField's content without its block ids (an import gives new ones each time)."""
    return [
        {"type": block.block_type, "value": block.block.get_prep_value(block.value)}
        for block in value
    ]


def fingerprint(page) -> str:
    substance = {
        "summary": " ".join(page.summary.split()),
        "lessons": _stream(page.lessons),
        "outcomes": _stream(page.outcomes),
        "result": page.result,
        "evidence": page.evidence,
    }
    text = json.dumps(substance, sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()


def record_publication(instance, **kwargs) -> None:
    """page_published: remember the substance; mark the case updated when it changed since
    an earlier publication."""
    new = fingerprint(instance)
    change = CaseChange.objects.filter(page_id=instance.pk).first()
    if change is None:
        CaseChange.objects.create(page_id=instance.pk, fingerprint=new)
    elif change.fingerprint != new:
        change.fingerprint, change.updated_at = new, timezone.now()
        change.save(update_fields=["fingerprint", "updated_at"])


def record_publications(pages, **kwargs) -> None:
    """cases_published: new cases published in bulk (an import) get the fingerprint
    page_published would have recorded for each."""
    CaseChange.objects.bulk_create(
        [CaseChange(page_id=page.pk, fingerprint=fingerprint(page)) for page in pages],
        ignore_conflicts=True,
    )
