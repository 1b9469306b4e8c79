"""The demo library. Its case pictures are generated illustrations (artwork.py), kept in a
collection of their own so that cards and case pages can tell them from real photographs and
posters and show only real ones."""

ILLUSTRATIONS_COLLECTION = "Demo library"
