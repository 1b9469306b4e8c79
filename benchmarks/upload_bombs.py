"""Upload bombs: what checked_image() costs on crafted files and on legitimate large ones.

Builds each file (the attack review's GIF frame bombs, many tiny frames in GIF, APNG and
WebP, PNG metadata bombs, a many-scan progressive JPEG, and for comparison a 40-megapixel
photo and 100-frame animations of 40 megapixels in all), then checks each one in a fresh
child process and prints its size, the verdict (accepted, or the message), the wall time
and the child's peak resident memory (VmHWM), with the same child's peak before the
check (Django and Pillow loaded) for reference. Nothing is asserted.

    .venv/bin/python benchmarks/upload_bombs.py

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


def files():
    """(what, bytes) for every file, built here."""
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

    return [
        ("baseline: PNG of 1 x 1", encoded(Image.new("RGB", (1, 1)), "PNG")),
        ("GIF 100x100, 2nd frame 13,000x13,000", gif((100, 100), [screen, huge])),
        ("GIF 100x100, four 13,000x13,000 frames", gif((100, 100), [screen, *[huge] * 4])),
        ("GIF, 200,000 frames of 1x1", gif((1, 1), changing)),
        (
            "GIF, 4.7 M comment sub-blocks of 1 byte",
            one_frame[:-1] + b"!\xfe" + sub_blocks(b"x" * (47 * MB // 10), size=1) + b";",
        ),
        ("APNG, 150,000 frames of 1x1", apng((1, 1), [tiny] * 150_000)),
        ("WebP, 200,000 frames of 1x1", animated_webp((1, 1), [tiny] * 200_000)),
        ("PNG, 9,000 colour profiles of 1 MB", png_full_of(profile)),
        ("PNG, 9,000 iTXt of 1 MB, not UTF-8", png_full_of(not_utf8)),
        ("PNG, 830,000 empty chunks", png_full_of(png_chunk(b"prVt", b""))),
        ("JPEG 4,000x4,000, 2,000 scans", progressive_jpeg((4000, 4000), scans=2000)),
        ("JPEG 40 MP, 32 scans (the cap)", progressive_jpeg((7745, 5164), scans=32)),
        ("legit: JPEG photo, 40 MP", encoded(photo_like(5, (7745, 5164)), "JPEG", quality=90)),
        ("legit: GIF, 100 frames of 632x632", animation("GIF")),
        ("legit: APNG, 100 frames of 632x632", animation("PNG")),
        ("legit: WebP, 100 frames of 632x632", animation("WEBP", quality=60)),
    ]


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
    try:
        result = checked_image(SimpleUploadedFile(Path(path).name, data))
        verdict = f"accepted ({result.size:,} bytes stored)"
    except ValidationError as error:
        verdict = " ".join(error.messages)
    except MemoryError:
        verdict = "MemoryError (a 500)"
    seconds = time.perf_counter() - start
    peak = peak_rss_kb()
    print(json.dumps({"verdict": verdict, "seconds": seconds, "before": before, "peak": peak}))


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


def main():
    print("Building the files…", flush=True)
    with tempfile.TemporaryDirectory(prefix="cg-upload-bombs-") as folder:
        built = []
        for number, (what, data) in enumerate(files()):
            path = Path(folder) / f"{number:02}"
            path.write_bytes(data)
            built.append((what, path, len(data)))
        print(f"{'file':<42} {'size':>10} {'time':>8} {'RSS before':>11} {'peak RSS':>9}  verdict")
        for what, path, size in built:
            result = run(path)
            before = f"{result['before'] / 1024:.0f} MB" if "before" in result else "-"
            peak = f"{result['peak'] / 1024:.0f} MB" if "peak" in result else "-"
            print(
                f"{what:<42} {size / 1024:>7,.0f} KB {result['seconds']:>7.2f}s "
                f"{before:>11} {peak:>9}  {result['verdict']}",
                flush=True,
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        check(sys.argv[2])
    else:
        main()
