"""Build cases/geo/countries.json, the country shapes of the map, from Natural Earth.

Run once, by hand, when the shapes should change (never at run time, nor in CI):

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz && cd -
    .venv/bin/python cases/geo/build_shapes.py /tmp/package/countries-50m.json

world-atlas 2.0.2 is Natural Earth 4.1.0's Admin 0 countries (1:50m, public domain) as
TopoJSON: longitudes and latitudes, quantized and delta-encoded, shared borders stored once as
arcs. This script decodes the arcs, simplifies each arc once (so neighbours keep one border),
cuts rings that cross the 180th meridian (Russia's Chukotka), projects with Equal Earth (an
equal-area projection: a large country does not look like more cases) and writes one SVG path
per ISO 3166-1 alpha-2 code, in relative commands with whole-number coordinates.

Antarctica is left out (no police forces, and a third of the height). Shapes without an ISO
code (Kosovo, Somaliland, Northern Cyprus, ...) are kept as land of no country. A country too
small to see or click on at this scale also gets a dot, and one whose every island simplifies
to nothing gets only a dot. Territories that Natural Earth draws as part of another country
(French Guiana, Réunion, Svalbard, ...) have no shape of their own.
"""

import argparse
import json
import math
from pathlib import Path

import pycountry

OUTPUT = Path(__file__).with_name("countries.json")
WIDTH = 1000  # of the drawing, in its own units; coordinates are rounded to whole units
TOLERANCE = 0.5  # Douglas-Peucker tolerance, in drawing units
LEFT_OUT = {"010"}  # Antarctica
SMALL = 6  # drawing units: a country narrower and lower than this also gets a dot

# Equal Earth (Šavrič, Patterson and Jenny, 2018)
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, -y  # SVG's y grows downwards


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc as (longitude, latitude) points: TopoJSON stores quantized deltas."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: list, tolerance: float) -> list[int]:
    """The indices Douglas-Peucker keeps, always both ends (where arcs meet)."""
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs(dy * (px - x1) - dx * (py - y1)) / length
            else:
                distance = math.hypot(px - x1, py - y1)
            if distance > farthest:
                farthest, index = distance, i
        if index is not None and farthest > tolerance:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return sorted(keep)


def ring_points(ring: list[int], arcs: list) -> list:
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def meridian(lon: float, lat_from: float, lat_to: float) -> list:
    """Points along a meridian (curved once projected), one a degree."""
    steps = max(1, math.ceil(abs(lat_to - lat_from)))
    return [(lon, lat_from + (lat_to - lat_from) * i / steps) for i in range(steps + 1)]


def cut_at_antimeridian(ring: list) -> list[list]:
    """A ring crossing the 180th meridian as two rings, one on each side, closed along it."""
    pieces, piece = [], []
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        piece.append(a)
        if abs(a[0] - b[0]) > 180:
            edge = 180 if a[0] > 0 else -180
            b_lon = b[0] + 360 if a[0] > 0 else b[0] - 360
            span = b_lon - a[0]
            lat = a[1] + (b[1] - a[1]) * (edge - a[0]) / span if span else a[1]
            pieces.append([*piece, (edge, lat)])
            piece = [(-edge, lat)]
    if not pieces:
        return [ring]
    if len(pieces) != 2:
        raise ValueError(f"a ring crosses the 180th meridian {len(pieces)} times")
    # pieces[0] starts where the ring starts; the points after the last crossing continue it
    rings = [piece + pieces[0], pieces[1]]
    return [r + meridian(r[-1][0], r[-1][1], r[0][1])[1:-1] for r in rings]


def path_of(rings: list[list[tuple[int, int]]]) -> str:
    """Rings of whole-number points as one path: M, then relative l, then z for each."""

    def pair(x: int, y: int) -> str:
        return f"{x}{y}" if y < 0 else f"{x} {y}"

    parts = []
    for ring in rings:
        (x, y), steps = ring[0], []
        for px, py in ring[1:]:
            step = pair(px - x, py - y)
            steps.append(step if not steps or step.startswith("-") else f" {step}")
            x, y = px, py
        parts.append(f"M{pair(*ring[0])}l{''.join(steps)}z")
    return "".join(parts)


def area(ring: list) -> float:
    pairs = zip(ring, ring[1:] + ring[:1], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def build(topology: dict) -> dict:
    lonlat = decode_arcs(topology)
    geometries = [
        g for g in topology["objects"]["countries"]["geometries"] if g.get("id") not in LEFT_OUT
    ]
    used = {i if i >= 0 else ~i for g in geometries for p in polygons(g) for r in p for i in r}
    xs, ys = zip(*(equal_earth(*p) for i in used for p in lonlat[i]), strict=True)
    x0, y0 = min(xs), min(ys)
    scale = WIDTH / (max(xs) - x0)
    height = math.ceil((max(ys) - y0) * scale)

    def place(point):
        x, y = equal_earth(*point)
        return (x - x0) * scale, (y - y0) * scale

    projected = [[place(p) for p in arc] for arc in lonlat]
    simplified = [
        [arc[i] for i in simplify(points, TOLERANCE)]
        for arc, points in zip(lonlat, projected, strict=True)
    ]

    rings_of: dict[str | None, list] = {}  # code: [(drawn ring, its points unsimplified)]
    for geometry in geometries:
        country = geometry.get("id") and pycountry.countries.get(numeric=geometry["id"])
        code = country.alpha_2 if country else None
        for polygon in polygons(geometry):
            for ring in polygon:
                for piece in cut_at_antimeridian(ring_points(ring, simplified)):
                    drawn = []
                    for x, y in map(place, piece):
                        if not drawn or drawn[-1] != (round(x), round(y)):
                            drawn.append((round(x), round(y)))
                    if len(drawn) > 1 and drawn[0] == drawn[-1]:
                        drawn.pop()
                    rings_of.setdefault(code, []).append((drawn, ring_points(ring, projected)))

    shapes, dots = {}, {}
    for code, rings in rings_of.items():
        # islands simplified to nothing are left out, but never a country's largest shape
        largest = max(rings, key=lambda ring: area(ring[1]))
        kept = [d for d, r in rings if len(d) >= 3 and (area(d) >= 1 or r is largest[1])]
        if kept:
            shapes[code] = path_of(kept)
        points = [p for _, ring in rings for p in ring] if kept else largest[1]
        left, right = min(x for x, _ in points), max(x for x, _ in points)
        top, bottom = min(y for _, y in points), max(y for _, y in points)
        if code and (not kept or (right - left < SMALL and bottom - top < SMALL)):
            dots[code] = [round((left + right) / 2), round((top + bottom) / 2)]
    return {
        "source": "Natural Earth 4.1.0, Admin 0 countries 1:50m (public domain), "
        "from world-atlas 2.0.2, built by cases/geo/build_shapes.py",
        "width": WIDTH,
        "height": height,
        "countries": {code: shapes[code] for code in sorted(c for c in shapes if c)},
        "dots": dict(sorted(dots.items())),
        "land": shapes.get(None, ""),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("topojson", type=Path, help="world-atlas's countries-50m.json")
    args = parser.parse_args()
    data = build(json.loads(args.topojson.read_text()))
    OUTPUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    size = OUTPUT.stat().st_size
    print(f"{len(data['countries'])} shapes, {len(data['dots'])} dots, {size:,} bytes: {OUTPUT}")


if __name__ == "__main__":
    main()
