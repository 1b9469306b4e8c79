"""Upload bombs: what checked_image() costs on crafted files and on legitimate large ones,
and what Wagtail's renditions of the stored file then cost.

Builds each file (the attack review's GIF frame bombs, many tiny frames in GIF, APNG and
WebP, PNG metadata bombs, a many-scan progressive JPEG and a JPEG of millions of segments,
small WebPs and animations that ask for many megapixels, an MPO; then the worst file each
format's budget accepts, flat and noisy; and for comparison a 40-megapixel photo and
100-frame animations), then checks each one in a fresh child process and prints its
size, the verdict (accepted, or the message), the wall time and the memory the check
added to the child's resident set (its peak, VmHWM, over what Django and Pillow took
before). For an accepted file the child then makes the case page's hero renditions
(`{% picture %}`: WebP and JPEG at three sizes) as Wagtail does on the first view, three
at a time from the stored bytes, and prints their time and added peak. Nothing is asserted.

    .venv/bin/python benchmarks/upload_bombs.py [WORD]   # WORD: only files whose name has it

Each child runs under a 6 GB address-space limit and a 300 s timeout, so a check that
would hog the shared machine (as the code before Part 4 did) is cut short and says so.
"""

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

MB = 1024 * 1024
ADDRESS_SPACE = 6 * 1024 * MB
TIMEOUT = 300


def photo_like(number, size):
    """A smooth picture with shapes (a rotating gradient, a moving disc and bar): large in
    pixels, small enough on disk to pass the 10 MB limit, like a real photo or clip."""
    from PIL import Image, ImageDraw

    width, height = size
    gradient = Image.linear_gradient("L").resize(size).rotate(number * 3.6)
    mirrored = gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    image = Image.merge("RGB", (gradient, mirrored, Image.new("L", size, 90)))
    draw = ImageDraw.Draw(image)
    x = (number * 7) % (width - 80)
    draw.ellipse((x, height // 3, x + 80, height // 3 + 80), fill=(250, 200, 0))
    bar = (width - x - 60, 2 * height // 3, width - x, 2 * height // 3 + 40)
    draw.rectangle(bar, fill=(0, 60, 200))
    return image


def encoded(image, image_format, **options):
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()


def animation(image_format, frames=100, size=(632, 632), **options):
    images = [photo_like(number, size) for number in range(frames)]
    if image_format == "GIF":
        images = [image.quantize(64) for image in images]
    options.update(save_all=True, append_images=images[1:], duration=40, loop=0)
    return encoded(images[0], image_format, **options)


def noise(size, mode="RGB", seed=1):
    """Random pixels: what no encoder can compress."""
    import numpy

    channels = len(mode)
    pixels = numpy.random.default_rng(seed).integers(0, 256, (size[1], size[0], channels))
    from PIL import Image

    return Image.fromarray(pixels.astype(numpy.uint8).squeeze(), mode)


def tiled(size, mode="RGB", seed=1):
    """A 64 × 64 tile of random pixels repeated over `size`: lossless WebP and PNG store it
    in a few kilobytes, a lossy re-encode must code every pixel."""
    import numpy
    from PIL import Image

    tile = numpy.asarray(noise((64, 64), mode, seed))
    reps = (size[1] // 64 + 1, size[0] // 64 + 1) + (1,) * (tile.ndim - 2)
    return Image.fromarray(numpy.tile(tile, reps)[: size[1], : size[0]], mode)


def solid(size, mode="RGB"):
    from PIL import Image

    return Image.new(mode, size, (10, 200, 30, 100)[: len(mode)])


def frames_of(image_format, images, **options):
    options.update(save_all=True, append_images=images[1:], duration=100, loop=0)
    return encoded(images[0], image_format, **options)


def at(megapixels, ratio=4 / 3):
    """A width × height of about `megapixels`, within the budget."""
    width = int((megapixels * 1_000_000 * ratio) ** 0.5)
    return width, int(megapixels * 1_000_000) // width


def files():
    """(what, a function that builds its bytes) for every file."""
    from PIL import Image

    from tests.crafted_images import (
        Frame,
        animated_webp,
        apng,
        gif,
        png_chunk,
        png_with_chunks,
        progressive_jpeg,
        sub_blocks,
    )

    screen = Frame(0, 0, 100, 100)
    huge = Frame(0, 0, 13_000, 13_000, colour=2)
    tiny = Frame(0, 0, 1, 1)
    changing = [Frame(0, 0, 1, 1, colour=1 + n % 3) for n in range(200_000)]
    megabyte = zlib.compress(b"\x00" * (MB - 1), 9)
    profile = png_chunk(b"iCCP", b"icc\x00\x00" + megabyte)
    not_utf8 = png_chunk(b"iTXt", b"k\x00\x01\x00\x00\x00" + zlib.compress(b"\xff" * (MB - 1), 9))
    one_frame = gif((10, 10), [Frame(0, 0, 10, 10)])

    def png_full_of(chunk):  # a 9.5 MB PNG
        return png_with_chunks(chunk * (int(9.5 * MB) // len(chunk)))

    lossless = {"lossless": True, "quality": 100, "method": 6}
    reviewer = (6320, 6320)
    webp_cap, stored_cap = at(16), at(8.3, 16 / 9)
    jpeg_segments = encoded(Image.new("RGB", (8, 8), "red"), "JPEG")
    mpo_pictures = [photo_like(n, (4000, 3000)) for n in (1, 2)]

    return [
        ("baseline: PNG of 1 x 1", lambda: encoded(Image.new("RGB", (1, 1)), "PNG")),
        ("GIF 100x100, 2nd frame 13,000x13,000", lambda: gif((100, 100), [screen, huge])),
        ("GIF 100x100, four 13,000x13,000 frames", lambda: gif((100, 100), [screen, *[huge] * 4])),
        ("GIF, 200,000 frames of 1x1", lambda: gif((1, 1), changing)),
        (
            "GIF, 4.7 M comment sub-blocks of 1 byte",
            lambda: one_frame[:-1] + b"!\xfe" + sub_blocks(b"x" * (47 * MB // 10), size=1) + b";",
        ),
        ("APNG, 150,000 frames of 1x1", lambda: apng((1, 1), [tiny] * 150_000)),
        ("WebP, 200,000 frames of 1x1", lambda: animated_webp((1, 1), [tiny] * 200_000)),
        ("PNG, 9,000 colour profiles of 1 MB", lambda: png_full_of(profile)),
        ("PNG, 9,000 iTXt of 1 MB, not UTF-8", lambda: png_full_of(not_utf8)),
        ("PNG, 830,000 empty chunks", lambda: png_full_of(png_chunk(b"prVt", b""))),
        ("JPEG 4,000x4,000, 2,000 scans", lambda: progressive_jpeg((4000, 4000), scans=2000)),
        ("JPEG 40 MP, 32 scans (the cap)", lambda: progressive_jpeg((7745, 5164), scans=32)),
        (
            "JPEG, 2.6 M empty comment segments",
            lambda: jpeg_segments[:2] + b"\xff\xfe\x00\x02" * 2_600_000 + jpeg_segments[2:],
        ),
        (
            "WebP 40 MP RGBA, solid (review)",
            lambda: encoded(solid(reviewer, "RGBA"), "WEBP", **lossless),
        ),
        (
            "WebP 40 MP, 64px noise tile (review)",
            lambda: encoded(tiled(reviewer), "WEBP", **lossless),
        ),
        (
            "WebP, 10 frames of 4 MP noise tiles",
            lambda: frames_of(
                "WEBP", [tiled((2000, 2000), seed=n) for n in range(10)], **lossless
            ),
        ),
        ("worst: JPEG 40 MP, solid", lambda: encoded(solid((7745, 5164)), "JPEG", quality=90)),
        (
            "worst: JPEG 40 MP, noise at quality 5",
            lambda: encoded(noise((7745, 5164)), "JPEG", quality=5),
        ),
        ("worst: JPEG 40 MP CMYK, turned by EXIF", lambda: cmyk_turned((7745, 5164))),
        ("worst: PNG 40 MP RGBA, solid", lambda: encoded(solid((7745, 5164), "RGBA"), "PNG")),
        ("worst: PNG 40 MP RGBA, noise tile", lambda: encoded(tiled((7745, 5164), "RGBA"), "PNG")),
        (
            "worst: PNG 40 MP palette, noise tile",
            lambda: encoded(tiled((7745, 5164)).quantize(256), "PNG"),
        ),
        ("worst: PNG 2.6 MP RGB, noise (10 MB)", lambda: encoded(noise(at(1.1)), "PNG")),
        (
            "worst: WebP 16 MP RGBA, solid",
            lambda: encoded(solid(webp_cap, "RGBA"), "WEBP", **lossless),
        ),
        ("worst: WebP 16 MP, noise tile", lambda: encoded(tiled(webp_cap), "WEBP", **lossless)),
        ("worst: WebP 16 MP, noise, lossy", lambda: encoded(noise(webp_cap), "WEBP", quality=1)),
        ("worst: GIF 8.3 MP, noise tile", lambda: encoded(tiled(stored_cap).quantize(256), "GIF")),
        (
            "worst: GIF, 4 x 8 MP noise-tile frames",
            lambda: frames_of("GIF", [tiled(at(8), seed=n % 2).quantize(256) for n in range(4)]),
        ),
        (
            "worst: APNG, 5 x 8 MP noise-tile frames",
            lambda: frames_of("PNG", [tiled(at(8), "RGBA", seed=n) for n in range(5)]),
        ),
        (
            "worst: WebP, 2 x 8 MP noise-tile frames",
            lambda: frames_of("WEBP", [tiled(at(8), seed=n) for n in range(2)], **lossless),
        ),
        (
            "worst: WebP, 16 frames of 1 MP noise",
            lambda: frames_of("WEBP", [noise(at(1), seed=n) for n in range(16)], quality=1),
        ),
        (
            "MPO: two 12 MP pictures",
            lambda: encoded(mpo_pictures[0], "MPO", save_all=True, append_images=mpo_pictures[1:]),
        ),
        (
            "legit: JPEG photo, 40 MP",
            lambda: encoded(photo_like(5, (7745, 5164)), "JPEG", quality=90),
        ),
        ("legit: GIF, 100 frames of 632x632", lambda: animation("GIF")),
        ("legit: APNG, 100 frames of 632x632", lambda: animation("PNG")),
        ("legit: WebP, 100 frames of 632x632", lambda: animation("WEBP", quality=60)),
    ]


def cmyk_turned(size):
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways
    return encoded(noise(size).convert("CMYK"), "JPEG", quality=5, exif=exif.tobytes())


def peak_rss_kb():
    """This process's peak resident memory. Linux's VmHWM starts afresh at exec, where
    ru_maxrss would carry over the parent's peak (the parent holds every built file)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def check(path):
    """In the child: check one file and print the result as JSON."""
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings.dev")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from commonground.uploads import checked_image

    data = Path(path).read_bytes()
    before = peak_rss_kb()
    start = time.perf_counter()
    result = None
    try:
        result = checked_image(SimpleUploadedFile(Path(path).name, data))
        verdict = f"accepted ({result.size:,} bytes stored)"
    except ValidationError as error:
        verdict = " ".join(error.messages)
    except MemoryError:
        verdict = "MemoryError (a 500)"
    seconds = time.perf_counter() - start
    figures = {"verdict": verdict, "seconds": seconds, "before": before, "peak": peak_rss_kb()}
    if result is not None:
        figures.update(renditions(result))
    print(json.dumps(figures))


HERO_RENDITIONS = [
    f"format-{image_format}|fill-{size}"
    for image_format in ("webp", "jpeg")
    for size in ("640x360", "1280x720", "1920x1080")
]


def renditions(stored):
    """The case page's hero renditions of the stored file, made as Wagtail's
    create_renditions() makes them: three threads, each decoding its own copy."""
    from concurrent.futures import ThreadPoolExecutor

    from PIL import Image as PillowImage

    from django.core.files import File

    from wagtail.images.models import Filter, Image

    stored.seek(0)
    data = stored.read()
    with PillowImage.open(io.BytesIO(data)) as opened:
        width, height = opened.size
    image = Image(title="bench", width=width, height=height, collection_id=1)
    image.file.name = stored.name

    def make(spec):
        source = File(io.BytesIO(data), name=stored.name)
        return image.generate_rendition_file(Filter(spec), source=source)

    _reset_peak()
    before = peak_rss_kb()
    start = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            list(pool.map(make, HERO_RENDITIONS))
    except Exception as error:
        return {"renditions_error": f"{type(error).__name__}: {str(error)[:40]}"}
    return {
        "renditions": time.perf_counter() - start,
        "renditions_before": before,
        "renditions_peak": peak_rss_kb(),
    }


def _reset_peak():
    """Start VmHWM afresh from the current resident set (Linux)."""
    clear = Path("/proc/self/clear_refs")
    if clear.exists():
        clear.write_text("5")


def run(path):
    start = time.perf_counter()
    try:
        output = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return {"verdict": f"still running after {TIMEOUT} s (stopped)", "seconds": TIMEOUT}
    lines = output.stdout.strip().splitlines()
    if output.returncode or not lines:  # the child's time includes starting Django
        last = (output.stderr.strip().splitlines() or ["no output"])[-1]
        return {"verdict": f"crashed (a 500): {last}", "seconds": time.perf_counter() - start}
    return json.loads(lines[-1])


def main(word=""):
    print("Building the files…", flush=True)
    with tempfile.TemporaryDirectory(prefix="cg-upload-bombs-") as folder:
        built = []
        for number, (what, build) in enumerate(files()):
            if word.lower() not in what.lower():
                continue
            data = build()
            path = Path(folder) / f"{number:02}"
            path.write_bytes(data)
            built.append((what, path, len(data)))
        print(
            f"{'file':<42} {'size':>10} {'check':>8} {'added':>8} {'renditions':>11} "
            f"{'added':>8}  verdict (RSS before the check)"
        )
        for what, path, size in built:
            result = run(path)
            print(
                f"{what:<42} {size / 1024:>7,.0f} KB {result['seconds']:>7.2f}s "
                f"{_added(result, 'peak', 'before'):>8} {_seconds(result, 'renditions'):>11} "
                f"{_added(result, 'renditions_peak', 'renditions_before'):>8}  "
                f"{result['verdict']}{_megabytes(result.get('before'), ' (', ')')}"
                f"{_failure(result)}",
                flush=True,
            )


def _failure(result):
    error = result.get("renditions_error")
    return f"; renditions fail: {error}" if error else ""


def _seconds(result, key):
    return f"{result[key]:.2f}s" if key in result else "-"


def _megabytes(kilobytes, before="", after=""):
    return f"{before}{kilobytes / 1024:.0f} MB{after}" if kilobytes is not None else ""


def _added(result, peak, base):
    if peak not in result:
        return "-"
    return _megabytes(result[peak] - result[base])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        check(sys.argv[2])
    else:
        main(" ".join(sys.argv[1:]))
