"""The demo library. Its case pictures are generated illustrations (artwork.py), kept in a
collection of their own so that pages can tell them from real photographs and posters."""

ILLUSTRATIONS_COLLECTION = "Demo library"
