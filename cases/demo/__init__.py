"""The demo library.

Its generated illustrations are kept in their own image collection, so that listings can
tell them from real pictures (cases/queries.py shows only real ones on cards)."""

ILLUSTRATIONS_COLLECTION = "Demo library"
