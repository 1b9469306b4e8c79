"""The demo cover art: valid, deterministic JPEGs with a visible motif (no Django needed)."""

import io

import pytest
from PIL import Image, ImageStat

from cases.demo import artwork
from cases.demo.artwork import MOTIFS, render_artwork

SMALL = (320, 180)  # enough pixels for the checks, and fast
# Light motif on a dark ground: a motif covering even a tenth of the central region gives a
# greyscale spread of roughly 180 * sqrt(0.1 * 0.9) ≈ 54, while the soft background shapes
# alone (tints of at most 11 %) stay below about 10. 30 sits well between the two; the
# test below that blanks the motif checks the background side of that claim.
VISIBLE_STDDEV = 30
SEEDS = ("gb-2010-riots", "us-ferguson", "nl-whatsapp", "au-missing-person", "x")


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _central_stddev(data: bytes) -> float:
    """Spread of grey levels over the middle 40 % of each axis, where every placement of
    the motif (centre or either golden-ratio point) overlaps."""
    grey = _open(data).convert("L")
    w, h = grey.size
    region = grey.crop((int(w * 0.3), int(h * 0.3), int(w * 0.7), int(h * 0.7)))
    return ImageStat.Stat(region).stddev[0]


@pytest.mark.parametrize("motif", MOTIFS)
def test_every_motif_renders_a_jpeg_of_the_requested_size(motif):
    image = _open(render_artwork(motif, "seed", label="GB · 2010"))
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert image.size == (1600, 900)
    assert _open(render_artwork(motif, "seed", size=(400, 300))).size == (400, 300)


def test_same_inputs_give_identical_bytes():
    for motif in ("clock", "handshake"):
        first = render_artwork(motif, "case-42", size=SMALL, label="FR · 2019")
        assert render_artwork(motif, "case-42", size=SMALL, label="FR · 2019") == first


def test_different_seeds_give_different_images():
    renders = {render_artwork("star", seed, size=SMALL) for seed in SEEDS}
    assert len(renders) == len(SEEDS)


def test_different_motifs_with_the_same_seed_differ():
    pixels = [_open(render_artwork(m, "shared", size=SMALL)).tobytes() for m in MOTIFS]
    assert len(set(pixels)) == len(MOTIFS)


def test_the_label_is_drawn():
    plain = render_artwork("pin", "case", size=SMALL)
    assert render_artwork("pin", "case", size=SMALL, label="GB · 2010") != plain


def test_unknown_motif_raises_value_error():
    with pytest.raises(ValueError, match="unicorn"):
        render_artwork("unicorn", "seed")


@pytest.mark.parametrize("motif", MOTIFS)
@pytest.mark.parametrize("seed", SEEDS)
def test_the_motif_is_visible(motif, seed):
    assert _central_stddev(render_artwork(motif, seed, size=SMALL)) > VISIBLE_STDDEV


@pytest.mark.parametrize("seed", SEEDS)
def test_the_background_alone_stays_below_the_visibility_threshold(monkeypatch, seed):
    monkeypatch.setitem(artwork.DRAWERS, "star", lambda pen: None)
    assert _central_stddev(render_artwork("star", seed, size=SMALL)) < VISIBLE_STDDEV / 2
