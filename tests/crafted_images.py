"""Image files built byte by byte, the way an attacker would write them: GIFs whose frames
say any size and place, animated PNGs and WebPs with any frame count and geometry, PNG
chunks of any kind, progressive JPEGs with extra scans. Used by the upload tests and by
benchmarks/upload_bombs.py; each builder writes only what it is told to."""

import functools
import io
import struct
import zlib
from dataclasses import dataclass

from PIL import Image

from django.core.files.uploadedfile import SimpleUploadedFile

GIF_PALETTE = bytes([0, 0, 0, 255, 0, 0, 0, 160, 0, 0, 0, 255])  # black, red, green, blue
GIF_MIN_CODE_SIZE = 2


@dataclass(frozen=True)
class Frame:
    """Where a frame goes (left, top, width, height) and its one colour (a palette index)."""

    left: int
    top: int
    width: int
    height: int
    colour: int = 1


# --- GIF ---------------------------------------------------------------------------------


def gif(screen, frames, *, loop=0, delay=10):
    """A GIF89a with a 4-colour global palette, a loop extension, and one image per Frame,
    each with a graphic control extension (`delay` in hundredths of a second) and a valid
    LZW stream of its one colour (so a 13,000 × 13,000 frame takes about 110 KB)."""
    width, height = screen
    parts = [
        b"GIF89a",
        struct.pack("<HHBBB", width, height, 0x80 | (GIF_MIN_CODE_SIZE - 1), 0, 0),
        GIF_PALETTE,
        b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", loop) + b"\x00",
    ]
    for frame in frames:
        parts.append(b"!\xf9\x04\x00" + struct.pack("<H", delay) + b"\x00\x00")
        parts.append(
            b","
            + struct.pack("<HHHHB", frame.left, frame.top, frame.width, frame.height, 0)
            + bytes([GIF_MIN_CODE_SIZE])
            + sub_blocks(_one_colour_lzw(frame.width * frame.height, frame.colour))
        )
    parts.append(b";")
    return b"".join(parts)


def frame_bomb_upload(name="bomb.gif"):
    """The attack review's GIF bomb at a size the old check accepted quickly: a 100 × 100
    screen whose second frame is 400 × 400 (Pillow enlarged the canvas to fit it)."""
    data = gif((100, 100), [Frame(0, 0, 100, 100), Frame(0, 0, 400, 400, colour=2)])
    return SimpleUploadedFile(name, data, content_type="image/gif")


FRAME_BOMB_REFUSAL = (
    "Frame 2 of this GIF (400 × 400 at 0, 0) does not fit inside the image (100 × 100)."
)


def sub_blocks(data, size=255):
    """`data` as GIF data sub-blocks of `size` bytes, ended by an empty one."""
    blocks = (
        bytes([len(data[i : i + size])]) + data[i : i + size] for i in range(0, len(data), size)
    )
    return b"".join(blocks) + b"\x00"


@functools.cache
def _one_colour_lzw(pixels, colour):
    """GIF LZW codes for `pixels` pixels of palette index `colour`. For one colour the
    encoder's table holds runs of 1, 2, 3… pixels, so each code covers one pixel more than
    the last; the table is cleared when full (4,096 codes, 12 bits), as encoders do."""
    clear = 1 << GIF_MIN_CODE_SIZE
    end = clear + 1
    out = bytearray()
    bits = bit_count = 0

    def put(code, width):
        nonlocal bits, bit_count
        bits |= code << bit_count
        bit_count += width
        while bit_count >= 8:
            out.append(bits & 0xFF)
            bits >>= 8
            bit_count -= 8

    remaining = pixels
    width = GIF_MIN_CODE_SIZE + 1
    while remaining > 0:
        width = GIF_MIN_CODE_SIZE + 1
        put(clear, width)
        next_code, run = end + 1, 1
        while remaining > 0 and next_code < 4095:
            taken = min(run, remaining)
            put(colour if taken == 1 else end + taken - 1, width)
            remaining -= taken
            if next_code == 1 << width and width < 12:
                width += 1
            next_code += 1
            run = taken + 1
    put(end, width)
    if bit_count:
        out.append(bits & 0xFF)
    return bytes(out)


# --- PNG ---------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunk(kind, data):
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_with_chunks(extra, size=(16, 16)):
    """A small valid RGB PNG with `extra` (raw chunk bytes) inserted before its IDAT."""
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "PNG")
    data = out.getvalue()
    idat = data.index(b"IDAT") - 4
    return data[:idat] + extra + data[idat:]


def apng(canvas, frames, *, declared=None, delay=(1, 10)):
    """An animated PNG (8-bit grey) on a `canvas`, one fcTL and data chunk per Frame (the
    first frame's data in IDAT, so it is also the default image), each shown for `delay`
    (numerator, denominator) seconds; acTL says `declared` frames (by default as many as
    there are)."""
    width, height = canvas
    chunks = [
        png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)),
        png_chunk(b"acTL", struct.pack(">II", len(frames) if declared is None else declared, 0)),
    ]
    sequence = 0
    for number, frame in enumerate(frames):
        control = struct.pack(
            ">IIIIIHHBB", sequence, frame.width, frame.height, frame.left, frame.top, *delay, 0, 0
        )
        chunks.append(png_chunk(b"fcTL", control))
        sequence += 1
        rows = zlib.compress((b"\x00" + bytes([frame.colour * 60]) * frame.width) * frame.height)
        if number == 0:
            chunks.append(png_chunk(b"IDAT", rows))
        else:
            chunks.append(png_chunk(b"fdAT", struct.pack(">I", sequence) + rows))
            sequence += 1
    chunks.append(png_chunk(b"IEND", b""))
    return PNG_SIGNATURE + b"".join(chunks)


# --- WebP --------------------------------------------------------------------------------


def animated_webp(canvas, frames):
    """An animated WebP: VP8X and ANIM, then one ANMF per Frame holding a lossless
    bitstream of the frame's size (offsets are stored halved, as the format does)."""
    width, height = canvas
    body = [
        _riff_chunk(b"VP8X", bytes([0x12, 0, 0, 0]) + _u24(width - 1) + _u24(height - 1)),
        _riff_chunk(b"ANIM", struct.pack("<IH", 0, 0)),
    ]
    for frame in frames:
        placement = _u24(frame.left // 2) + _u24(frame.top // 2)
        size = _u24(frame.width - 1) + _u24(frame.height - 1)
        bitstream = _lossless_bitstream(frame.width, frame.height, frame.colour)
        body.append(_riff_chunk(b"ANMF", placement + size + _u24(100) + b"\x00" + bitstream))
    content = b"WEBP" + b"".join(body)
    return b"RIFF" + struct.pack("<I", len(content)) + content


def _riff_chunk(kind, data):
    return kind + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")


def _u24(value):
    return struct.pack("<I", value)[:3]


@functools.cache
def _lossless_bitstream(width, height, colour):
    out = io.BytesIO()
    rgb = tuple(GIF_PALETTE[colour * 3 : colour * 3 + 3])
    Image.new("RGBA", (width, height), (*rgb, 255)).save(out, "WEBP", lossless=True)
    return out.getvalue()[12:]  # the VP8L chunk, after RIFF and WEBP


# --- pixels that compress far better losslessly than lossy --------------------------------


def noise_tiles(size, tile=64):
    """One tile of random pixels repeated over `size`: lossless WebP stores it in a few
    kilobytes, a lossy re-encode must code every pixel (the review's 40 KB WebP was stored
    as 31.8 MB)."""
    pattern = Image.effect_noise((tile, tile), 100).convert("RGB")
    image = Image.new("RGB", size)
    for top in range(0, size[1], tile):
        for left in range(0, size[0], tile):
            image.paste(pattern, (left, top))
    return image


# --- JPEG --------------------------------------------------------------------------------


def progressive_jpeg(size, *, scans=None):
    """A progressive JPEG of one colour; with `scans`, its last scan (Huffman table, SOS
    and data) is repeated until there are that many."""
    out = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(out, "JPEG", progressive=True, quality=90)
    data = out.getvalue()
    written = data.count(b"\xff\xda")
    if scans is None or scans <= written:
        return data
    last = data.rindex(b"\xff\xc4")
    return data[:-2] + data[last:-2] * (scans - written) + data[-2:]
