"""What the case library announces beyond Wagtail's own page signals.

The importer writes new cases' rows directly (no page_published is sent for them), so it says
so itself; search/lifecycle.py listens.
"""

from django.dispatch import Signal

# Sent inside the transaction that wrote published cases in bulk, with page_ids=[...]; the
# importer adds new_cases=[...], the new pages as written, which search indexes without
# reading them back.
cases_changed = Signal()

# Sent inside the transaction that published new cases in bulk (the importer), with
# pages=[...] as written: bulk writing sends no page_published, so what records a case's
# publication listens to this as well.
cases_published = Signal()

# Sent when an import has finished, committed or not: anything still waiting to reach the
# search indexes (say, from an import that was killed) is applied now.
import_finished = Signal()
