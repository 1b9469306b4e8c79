"""How much text a case study may hold, in one place for the contribution form, the
importer's schema and the models. Every limit is in characters (lists: items).

The limits are generous for a real write-up (the longest demo story is under 6,000
characters) and keep one case from costing every search that matches it: a 50 MB body once
made each such search take seconds to highlight.
"""

TITLE = 255
SUMMARY = 600
ORGANISATION = 255
PLATFORM = 100
BODY = 50_000
LESSON = 2_000
LESSONS = 30  # items
OUTCOME_TEXT = 255  # label and value each
OUTCOMES = 30  # items
AUTHOR = 255
SPEAKER = 255  # a speaker's name or role, and their organisation
AUTHORS = 30  # items
THEMES = 12  # items (every theme there is)
PLATFORMS = 20  # items
SOURCE_EVENT = 255
SOURCE_URL = 500
ALT_TEXT = 250
CAPTION = 250
# One interchange line, in bytes of UTF-8, read before it is parsed.
RECORD_BYTES = 512 * 1024
# The years a case's date may fall in, and so the years the library can be filtered by.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
# What a member changed when their force tried a case ("we tried this too").
REPLICATION_CHANGES = 2_000
# Replications an exported record lists (the earliest tried first): with a case's longest
# body, 30 of the longest still fit in one interchange line (RECORD_BYTES).
REPLICATIONS = 30  # items
