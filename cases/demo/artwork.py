"""Flat, abstract cover illustrations for demo case studies, drawn with Pillow primitives only.

Demo content needs pictures that look deliberate without shipping or downloading images, so
each cover is composed from a curated palette, a few soft background shapes placed by a
seeded RNG (the same case always gets the same picture) and one large motif that hints at
the case's theme. Everything is drawn at twice the size and downsampled for anti-aliasing.
"""

import copy
import io
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

MOTIFS: tuple[str, ...] = (
    "waves",
    "megaphone",
    "speech",
    "badge",
    "camera",
    "clock",
    "chart",
    "heart",
    "people",
    "phone",
    "pin",
    "handshake",
    "shield",
    "question",
    "eye",
    "star",
)

SCALE = 2  # supersampling factor; LANCZOS downsampling then smooths every edge
MOTIF_HEIGHT = 0.48  # of the image height; motifs are designed to span about 2 units
GOLDEN = 0.382
CUT = (0, 0, 0, 0)  # "paint" that erases the motif layer so the background shows through
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

Colour = tuple[int, int, int]
Point = tuple[float, float]


def _hex(value: str) -> Colour:
    return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


@dataclass(frozen=True)
class Palette:
    """A dark ground with a light ink, so the motif always has strong contrast."""

    bg: Colour
    bg2: Colour
    fg: Colour
    accent: Colour


PALETTES: tuple[Palette, ...] = tuple(
    Palette(*(_hex(c) for c in colours))
    for colours in (
        ("#14213d", "#1b3a4b", "#f4f1e8", "#f2a541"),  # deep navy, teal, amber
        ("#2f3e4e", "#3a4d60", "#f7f3ee", "#ff8a73"),  # slate, coral
        ("#1f3b2d", "#2a4f3b", "#f2e8d5", "#d9b26f"),  # forest, sand
        ("#3d2341", "#4f2e54", "#fceee3", "#f6b18f"),  # plum, peach
        ("#0f4c5c", "#176070", "#eff7f4", "#f9c74f"),  # teal, saffron
        ("#26282b", "#33373c", "#f5f5f0", "#e9c46a"),  # charcoal, mustard
        ("#5a1e2a", "#6d2735", "#fbefe2", "#f2b880"),  # oxblood, cream
        ("#252a5e", "#303777", "#eef1ff", "#7fc8f8"),  # indigo, sky
    )
)


class Pen:
    """Draws in motif units (the motif spans roughly -1..1 around its centre) so each motif
    is written once, independent of the output size."""

    def __init__(self, draw: ImageDraw.ImageDraw, centre: Point, unit: float, palette: Palette):
        self.draw = draw
        self.cx, self.cy = centre
        self.unit = unit
        self.fg = (*palette.fg, 255)
        self.accent = (*palette.accent, 255)

    def shifted(self, dx: float, dy: float) -> "Pen":
        """The same pen with its origin moved, to centre a motif drawn off-centre."""
        pen = copy.copy(self)
        pen.cx, pen.cy = self.pt(dx, dy)
        return pen

    def pt(self, x: float, y: float) -> Point:
        return (self.cx + x * self.unit, self.cy + y * self.unit)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> list[float]:
        return [*self.pt(x0, y0), *self.pt(x1, y1)]

    def px(self, length: float) -> int:
        return max(1, round(length * self.unit))

    def circle(self, x: float, y: float, r: float, fill, gap: float = 0.0) -> None:
        if gap:
            self.circle(x, y, r + gap, CUT)
        self.draw.ellipse(self.box(x - r, y - r, x + r, y + r), fill=fill)

    def ellipse(self, x0: float, y0: float, x1: float, y1: float, fill) -> None:
        self.draw.ellipse(self.box(x0, y0, x1, y1), fill=fill)

    def rect(self, x0, y0, x1, y1, fill, radius: float = 0.0, gap: float = 0.0) -> None:
        if gap:
            self.rect(x0 - gap, y0 - gap, x1 + gap, y1 + gap, CUT, radius + gap if radius else 0)
        self.draw.rounded_rectangle(self.box(x0, y0, x1, y1), radius=self.px(radius), fill=fill)

    def poly(self, points: Sequence[Point], fill, gap: float = 0.0) -> None:
        if gap:
            self.stroke([*points, points[0]], 2 * gap, CUT)
            self.poly(points, CUT)
        self.draw.polygon([self.pt(*p) for p in points], fill=fill)

    def stroke(self, points: Sequence[Point], width: float, fill, gap: float = 0.0) -> None:
        """A polyline with round joints and caps, the friendliest line for icons."""
        if gap:
            self.stroke(points, width + 2 * gap, CUT)
        self.draw.line(
            [self.pt(*p) for p in points], fill=fill, width=self.px(width), joint="curve"
        )
        for x, y in (points[0], points[-1]):
            self.circle(x, y, width / 2, fill)

    def arc(self, x, y, r, start: float, end: float, width: float, fill) -> None:
        """An arc of radius r (to the stroke's centre line) with round caps; angles in
        degrees, clockwise from three o'clock as in Pillow."""
        outer = r + width / 2
        self.draw.arc(
            self.box(x - outer, y - outer, x + outer, y + outer), start, end, fill, self.px(width)
        )
        for angle in (start, end):
            a = math.radians(angle)
            self.circle(x + r * math.cos(a), y + r * math.sin(a), width / 2, fill)

    def chord(self, x0, y0, x1, y1, start: float, end: float, fill) -> None:
        self.draw.chord(self.box(x0, y0, x1, y1), start, end, fill=fill)


def _star_points(n: int, outer: float, inner: float, cx=0.0, cy=0.0) -> list[Point]:
    """A star with its first point straight up."""
    points = []
    for i in range(2 * n):
        r = outer if i % 2 == 0 else inner
        a = -math.pi / 2 + i * math.pi / n
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return points


def _linspace(a: float, b: float, n: int) -> list[float]:
    return [a + (b - a) * i / (n - 1) for i in range(n)]


# --- motifs --------------------------------------------------------------------------------


def _waves(p: Pen) -> None:
    for i, y0 in enumerate((-0.6, 0.0, 0.6)):
        xs = _linspace(-1.3, 1.3, 90)
        points = [(x, y0 + 0.18 * math.sin((x + 1.3) * math.pi / 0.65)) for x in xs]
        p.stroke(points, 0.17, p.accent if i == 1 else p.fg)


def _megaphone(p: Pen) -> None:
    p = p.shifted(-0.12, -0.05)
    p.rect(-0.6, 0.1, -0.3, 0.95, p.fg, radius=0.1)  # handle, under the cone
    p.rect(-1.2, -0.3, -0.85, 0.3, p.accent, radius=0.1)  # mouthpiece
    p.poly([(-0.9, -0.3), (0.55, -0.85), (0.55, 0.85), (-0.9, 0.3)], p.fg, gap=0.06)
    p.rect(0.5, -0.92, 0.72, 0.92, p.accent, radius=0.1)  # rim of the bell
    for r in (0.45, 0.8):
        p.arc(0.62, 0.0, r, -38, 38, 0.12, p.fg)


def _speech(p: Pen) -> None:
    p.poly([(-0.95, 0.0), (-0.5, 0.0), (-1.15, 0.55)], p.fg)
    p.rect(-1.35, -0.95, 0.35, 0.2, p.fg, radius=0.34)
    for y, x1 in ((-0.6, 0.0), (-0.32, -0.35)):
        p.stroke([(-1.0, y), (x1, y)], 0.12, CUT)
    front = (-0.35, -0.3, 1.35, 0.8)
    tail = [(0.6, 0.6), (1.0, 0.6), (1.2, 1.1)]
    p.rect(*front, CUT, radius=0.34, gap=0.09)
    p.poly(tail, CUT, gap=0.09)
    p.rect(*front, p.accent, radius=0.34)
    p.poly(tail, p.accent)
    for x in (0.12, 0.5, 0.88):
        p.circle(x, 0.25, 0.1, CUT)


def _badge(p: Pen) -> None:
    """A seven-pointed star with ball tips: reads as 'police badge' without copying any
    real force's insignia."""
    p.poly(_star_points(7, 0.9, 0.6), p.fg)
    for i in range(7):
        a = -math.pi / 2 + i * 2 * math.pi / 7
        p.circle(0.93 * math.cos(a), 0.93 * math.sin(a), 0.12, p.fg)
    p.circle(0, 0, 0.4, p.accent, gap=0.07)
    p.poly(_star_points(5, 0.26, 0.11, cy=0.02), CUT)


def _camera(p: Pen) -> None:
    p.rect(-0.45, -0.82, 0.35, -0.4, p.fg, radius=0.1)  # viewfinder hump
    p.rect(-1.05, -0.72, -0.7, -0.5, p.accent, radius=0.05)  # shutter button
    p.rect(-1.25, -0.55, 1.25, 0.85, p.fg, radius=0.22)
    p.rect(0.7, -0.38, 1.0, -0.22, p.accent, radius=0.05)  # flash
    p.circle(-0.05, 0.17, 0.58, CUT)
    p.circle(-0.05, 0.17, 0.48, p.fg)
    p.circle(-0.05, 0.17, 0.32, p.accent)
    p.circle(-0.05, 0.17, 0.16, CUT)
    p.circle(0.08, 0.04, 0.07, p.fg)


def _clock(p: Pen) -> None:
    p.circle(0, 0, 1.0, p.accent)
    p.circle(0, 0, 0.92, CUT)
    p.circle(0, 0, 0.85, p.fg)
    for i in range(12):
        a = i * math.pi / 6
        inner = 0.58 if i % 3 == 0 else 0.66
        p.stroke(
            [
                (inner * math.sin(a), -inner * math.cos(a)),
                (0.72 * math.sin(a), -0.72 * math.cos(a)),
            ],
            0.07,
            CUT,
        )
    p.stroke([(0, 0), (0.4 * math.sin(-math.pi / 3), -0.4 * math.cos(math.pi / 3))], 0.12, CUT)
    p.stroke([(0, 0), (0.58 * math.sin(math.pi / 3), -0.58 * math.cos(math.pi / 3))], 0.09, CUT)
    p.circle(0, 0, 0.1, p.accent, gap=0.04)


def _chart(p: Pen) -> None:
    p.stroke([(-1.35, 0.95), (1.35, 0.95)], 0.08, p.fg)
    xs = (-0.9, -0.3, 0.3, 0.9)
    for x, top in zip(xs, (0.4, 0.15, -0.15, -0.45), strict=True):
        p.rect(x - 0.22, top, x + 0.22, 0.84, p.fg, radius=0.06)
    line = [(-0.9, -0.05), (-0.3, -0.3), (0.3, -0.45), (0.95, -0.9)]
    p.stroke(line, 0.11, p.accent, gap=0.07)
    for x, y in line[:-1]:
        p.circle(x, y, 0.12, p.accent, gap=0.06)
    p.poly([(1.12, -1.05), (0.78, -1.0), (1.06, -0.72)], p.accent)


def _heart(p: Pen) -> None:
    points = []
    for i in range(120):
        t = 2 * math.pi * i / 120
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        points.append((x / 11, (-y - 6) / 11))
    p.poly(points, p.fg)
    p.arc(-0.7, -0.38, 0.38, 195, 255, 0.12, p.accent)  # a shine


def _people(p: Pen) -> None:
    for x in (-0.78, 0.78):
        p.circle(x, -0.35, 0.25, p.accent)
        p.chord(x - 0.5, 0.0, x + 0.5, 1.9, 180, 360, p.accent)
    p.circle(0, -0.45, 0.32, p.fg, gap=0.08)
    p.chord(-0.74, -0.13, 0.74, 2.03, 180, 360, CUT)
    p.chord(-0.66, -0.05, 0.66, 1.95, 180, 360, p.fg)


def _phone(p: Pen) -> None:
    p.rect(-0.6, -1.0, 0.6, 1.0, p.fg, radius=0.17)
    p.rect(-0.48, -0.8, 0.48, 0.75, CUT, radius=0.05)
    p.stroke([(-0.12, -0.9), (0.12, -0.9)], 0.05, CUT)
    p.circle(-0.3, -0.58, 0.1, p.accent)
    p.stroke([(-0.12, -0.62), (0.3, -0.62)], 0.06, p.fg)
    p.stroke([(-0.12, -0.5), (0.15, -0.5)], 0.06, p.fg)
    p.rect(-0.38, -0.35, 0.38, 0.12, p.accent, radius=0.04)
    for y, x1 in ((0.28, 0.3), (0.42, 0.12), (0.56, 0.25)):
        p.stroke([(-0.33, y), (x1, y)], 0.06, p.fg)


def _pin(p: Pen) -> None:
    p.ellipse(-0.5, 0.88, 0.5, 1.08, p.accent)
    cx, cy, r, tip = 0.0, -0.32, 0.62, 0.98
    d = tip - cy
    a = math.asin(r / d)  # half-angle of the cone that meets the circle tangentially
    tangent = math.sqrt(d * d - r * r)
    side = (tangent * math.sin(a), tip - tangent * math.cos(a))
    p.poly([(0, tip), (side[0], side[1]), (-side[0], side[1])], p.fg)
    p.circle(cx, cy, r, p.fg)
    p.circle(cx, cy, 0.25, CUT)


def _band(a: Point, b: Point, width: float) -> list[Point]:
    """A rectangle of the given width along the segment a-b (a sleeve, at any angle)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    nx, ny = -dy / length * width / 2, dx / length * width / 2
    return [
        (a[0] + nx, a[1] + ny),
        (b[0] + nx, b[1] + ny),
        (b[0] - nx, b[1] - ny),
        (a[0] - nx, a[1] - ny),
    ]


def _handshake(p: Pen) -> None:
    p = p.shifted(0, -0.3)
    for side in (-1, 1):  # forearms rise from the lower corners, sleeves in the accent colour
        p.stroke([(1.25 * side, 0.72), (0.5 * side, 0.12)], 0.5, p.fg)
        p.poly(_band((1.75 * side, 1.12), (1.2 * side, 0.68), 0.74), p.accent, gap=0.06)
    p.stroke([(-0.65, 0.16), (0.35, 0.06)], 0.5, p.fg)  # left palm, under the right fingers
    for i in range(4):
        y = -0.13 + i * 0.14
        p.stroke([(0.6, y - 0.04), (-0.25 + i * 0.06, y)], 0.12, p.fg, gap=0.035)
    p.stroke([(-0.45, 0.02), (-0.05, -0.28)], 0.13, p.fg, gap=0.035)  # left thumb on top


def _shield_half(scale: float) -> list[Point]:
    """The left half of a heater shield, from the top centre down to the point."""
    top = [(x, -0.94 + 0.2 * (x / 0.82) ** 2) for x in _linspace(0.0, -0.82, 12)]
    # the side runs straight, then curves to the point: a quadratic Bézier
    side = [
        (-0.82 * (1 - t * t), 2 * (1 - t) * t * 0.62 + t * t * 1.0) for t in _linspace(0, 1, 24)
    ]
    return [(x * scale, y * scale) for x, y in top + side]


def _mirrored(half: list[Point]) -> list[Point]:
    return half + [(-x, y) for x, y in reversed(half)]


def _shield(p: Pen) -> None:
    p.poly(_mirrored(_shield_half(1.0)), p.fg)
    p.poly(_mirrored(_shield_half(0.8)), CUT)
    p.poly(_mirrored(_shield_half(0.7)), p.fg)
    p.poly(_shield_half(0.7), p.accent)


def _question(p: Pen) -> None:
    p.circle(0, 0, 1.0, p.fg)
    p.arc(0, -0.28, 0.3, 190, 400, 0.17, CUT)
    end = (0.3 * math.cos(math.radians(40)), -0.28 + 0.3 * math.sin(math.radians(40)))
    p.stroke([end, (0.0, 0.12), (0.0, 0.27)], 0.17, CUT)
    p.circle(0, 0.56, 0.11, CUT)


def _eye(p: Pen) -> None:
    half_width, height = 1.35, 0.72
    radius = (half_width**2 + height**2) / (2 * height)  # circle through the corners
    top, bottom = [], []
    for x in _linspace(-half_width, half_width, 60):
        dy = math.sqrt(max(radius**2 - x**2, 0)) - (radius - height)
        top.append((x, -dy))
        bottom.append((x, dy))
    p.poly(top + bottom[::-1], p.fg)
    p.circle(0, 0, 0.5, p.accent, gap=0.08)
    p.circle(0, 0, 0.22, CUT)
    p.circle(0.14, -0.14, 0.08, p.fg)


def _star(p: Pen) -> None:
    points = _star_points(5, 1.05, 0.44, cy=0.1)
    p.poly(points, p.fg)
    p.stroke([*points, points[0]], 0.08, p.fg)  # rounds the points a little
    for x, y, r in ((1.15, -0.75, 0.2), (-1.2, -0.55, 0.13)):
        p.poly(_star_points(4, r, r * 0.3, x, y), p.accent)


DRAWERS: dict[str, Callable[[Pen], None]] = {
    "waves": _waves,
    "megaphone": _megaphone,
    "speech": _speech,
    "badge": _badge,
    "camera": _camera,
    "clock": _clock,
    "chart": _chart,
    "heart": _heart,
    "people": _people,
    "phone": _phone,
    "pin": _pin,
    "handshake": _handshake,
    "shield": _shield,
    "question": _question,
    "eye": _eye,
    "star": _star,
}
assert tuple(DRAWERS) == MOTIFS


# --- composition ---------------------------------------------------------------------------


def _background(rng: random.Random, palette: Palette, width: int, height: int) -> Image.Image:
    """A two-tone ground and a few large, low-contrast shapes: texture without noise."""
    image = Image.new("RGB", (width, height), palette.bg)
    draw = ImageDraw.Draw(image)
    tone = rng.random()
    if tone < 0.35:
        top, slant = rng.uniform(0.45, 0.85) * width, rng.uniform(-0.3, 0.3) * width
        draw.polygon([(top, 0), (width, 0), (width, height), (top + slant, height)], palette.bg2)
    elif tone < 0.6:
        split = rng.uniform(0.55, 0.8) * height
        draw.rectangle([0, split, width, height], palette.bg2)
    softs = [_mix(palette.bg, palette.fg, t) for t in (0.05, 0.08, 0.11)]
    softs.append(_mix(palette.bg, palette.accent, 0.1))
    for _ in range(rng.randint(2, 4)):
        colour = rng.choice(softs)
        kind = rng.choice(("circle", "ring", "band"))
        if kind == "band":
            x, run = rng.uniform(-0.1, 1.0) * width, rng.uniform(0.2, 0.5) * width
            thick = rng.uniform(0.05, 0.15) * width
            draw.polygon(
                [(x, 0), (x + thick, 0), (x + thick - run, height), (x - run, height)], colour
            )
            continue
        cx, cy = rng.uniform(-0.1, 1.1) * width, rng.uniform(-0.2, 1.2) * height
        r = rng.uniform(0.2, 0.55) * height
        box = [cx - r, cy - r, cx + r, cy + r]
        if kind == "circle":
            draw.ellipse(box, colour)
        else:
            start = rng.uniform(0, 360)
            draw.arc(box, start, start + rng.uniform(120, 300), colour, round(r * 0.12))
    return image


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_DIR / "DejaVuSans-Bold.ttf"
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _draw_label(image: Image.Image, label: str, palette: Palette) -> None:
    """A small pill in the bottom-left corner; the only text ever drawn."""
    width, height = image.size
    draw = ImageDraw.Draw(image)
    font = _font(max(8, round(min(height * 0.028, width * 0.03))))
    left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
    pad_x, pad_y = (bottom - top) * 0.9, (bottom - top) * 0.55
    margin = min(width, height) * 0.045
    x0, y1 = margin, height - margin
    x1, y0 = x0 + (right - left) + 2 * pad_x, y1 - (bottom - top) - 2 * pad_y
    draw.rounded_rectangle([x0, y0, x1, y1], radius=(y1 - y0) / 2, fill=palette.fg)
    draw.text((x0 + pad_x - left, y0 + pad_y - top), label, font=font, fill=palette.bg)


def render_artwork(
    motif: str, seed: str, *, size: tuple[int, int] = (1600, 900), label: str = ""
) -> bytes:
    """A flat, abstract illustration for a case study, as JPEG bytes (quality 85, RGB).

    Deterministic: the same (motif, seed, size, label) always gives identical bytes.
    `seed` (e.g. the case's external_id) picks the palette and the background composition.
    `label` (optional, e.g. "GB · 2010") is drawn small in a corner pill.
    Raises ValueError for an unknown motif.
    """
    if motif not in DRAWERS:
        raise ValueError(f"Unknown motif {motif!r}; expected one of {', '.join(MOTIFS)}")
    out_w, out_h = size
    if out_w < 1 or out_h < 1:
        raise ValueError(f"Size must be positive, got {size!r}")
    rng = random.Random(f"commonground-artwork:{seed}")  # never the global RNG
    palette = rng.choice(PALETTES)
    width, height = out_w * SCALE, out_h * SCALE
    image = _background(rng, palette, width, height)

    unit = min(height * MOTIF_HEIGHT / 2, width / 3.4)  # wide motifs span about ±1.5 units
    place = rng.choice((0.5, GOLDEN, 1 - GOLDEN))
    cx = min(max(place * width, 1.6 * unit), width - 1.6 * unit)
    centre = (cx, height / 2)
    halo = _mix(palette.bg, palette.fg, 0.07)
    ImageDraw.Draw(image).ellipse(
        [cx - 1.45 * unit, height / 2 - 1.45 * unit, cx + 1.45 * unit, height / 2 + 1.45 * unit],
        halo,
    )

    layer = Image.new("RGBA", image.size, CUT)
    DRAWERS[motif](Pen(ImageDraw.Draw(layer), centre, unit, palette))
    image.paste(layer, (0, 0), layer)

    if label:
        _draw_label(image, label, palette)
    image = image.resize((out_w, out_h), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
