"""How much work an uploaded image asks for, read from its bytes before Pillow decodes it.

Pillow trusts what a file says: it enlarges a GIF's canvas to fit any frame (a 100 × 100 GIF
with one 13,000 × 13,000 frame decoded to 169 megapixels in 125 KB), composites every
frame of an animation, decodes every scan of a progressive JPEG over the whole image, and
inflates every compressed text chunk and colour profile of a PNG up to a megabyte each, in
Python, one by one. So before anything is decoded, walk() reads the structure of the file
(GIF blocks, PNG chunks, JPEG segments) and refuses, as soon as a cap is passed:

- a GIF or animated PNG frame that is larger than the image or lies outside it;
- more than MAX_FRAMES frames (GIF, PNG; WebP is checked after opening, see uploads.py);
- a JPEG made of more than MAX_JPEG_SCANS scans or MAX_JPEG_SEGMENTS segments;
- a PNG with more than MAX_PNG_COMPRESSED_CHUNKS compressed metadata chunks or more than
  MAX_PNG_CHUNKS chunks, a GIF with more than MAX_GIF_SUB_BLOCKS data sub-blocks.

The caps are far above what a camera, a phone, an editor or a screen recorder writes, and
are constants rather than settings: raising them brings the bombs back. Broken structure
raises Malformed (the upload check answers "damaged").

A JPEG carrying a multi-picture index (an MPO: cameras' large previews, the gain map of an
HDR photo) is given to the decoder as its primary image alone, a plain JPEG: the walk stops
at the primary image's end and leaves out the index, so the pictures after it are never
decoded nor stored.
"""

import re
import struct
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext

# An animation of 10 s at 50 frames a second (GIF's fastest usual rate) has 500 frames; one
# of a minute at 15 frames a second, 900. Every frame costs a full composite of the canvas.
MAX_FRAMES = 1_000
# libjpeg writes 10 scans for a progressive colour JPEG, Photoshop fewer, mozjpeg a
# selection of its 64 candidates (about as many as libjpeg). Each scan is decoded over the
# whole image: 2,000 scans of 16 megapixels in 195 KB took 24 s; 32 of 40 megapixels, 1.4 s.
MAX_JPEG_SCANS = 32
# A photo has a few dozen segments (tables, one per scan, EXIF, XMP and its extensions, an
# ICC profile in up to a few chunks). Pillow reads each in Python: 2.6 million empty comment
# segments in 10 MB took 4.5 s and 185 MB before a pixel was decoded.
MAX_JPEG_SEGMENTS = 1_000
# Pillow inflates each iCCP, zTXt and compressed iTXt chunk to up to 1 MB (ours are
# stripped, but only after Pillow has read them); a PNG has at most one colour profile and
# a handful of text chunks.
MAX_PNG_COMPRESSED_CHUNKS = 16
# libpng writes 8 KB IDAT chunks: a 10 MB PNG has about 1,300 chunks, an animated PNG a few
# more per frame. Pillow reads each chunk in Python.
MAX_PNG_CHUNKS = 50_000
# Encoders write data in full 255-byte sub-blocks: a 10 MB GIF has about 41,000. Pillow
# reads each in Python (and keeps every comment sub-block as its own object).
MAX_GIF_SUB_BLOCKS = 100_000

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
GIF_SIGNATURES = (b"GIF87a", b"GIF89a")
JPEG_SIGNATURE = b"\xff\xd8\xff"

_GIF_EXTENSION, _GIF_IMAGE, _GIF_TRAILER = 0x21, 0x2C, 0x3B
_PNG_COMPRESSED = {b"iCCP", b"zTXt"}
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0-7 carry no length
_JPEG_SOS, _JPEG_EOI, _JPEG_APP2 = 0xDA, 0xD9, 0xE2
_MULTI_PICTURE_INDEX = b"MPF\x00"  # an APP2 segment's identifier (CIPA DC-007)
# The end of a scan's entropy-coded data: 0xFF followed by anything but a stuffed zero, a
# restart marker or another 0xFF (fill).
_JPEG_MARKER_AFTER_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


class Malformed(ValueError):
    """The bytes do not follow the structure of the format they claim."""


@dataclass(frozen=True)
class Walked:
    """What the decoder may be given: `data` (for a GIF, cut after the last block the walk
    read, so Pillow never sees a frame that was not counted) and the frame count the walk
    found (None where the decoder's own count is used)."""

    data: bytes
    frames: int | None = None


def grouped(number: int) -> str:
    """A count with the active language's thousands separator: 1,000 / 1.000 / 1 000."""
    return number_format(number, force_grouping=True)


def too_many_frames():
    return ValidationError(
        gettext(
            "This animation has more than %(count)s frames; animations can have at most %(count)s."
        )
        % {"count": grouped(MAX_FRAMES)},
        code="too_many_frames",
    )


def walk(data: bytes) -> Walked:
    """Check the structure of a GIF, PNG or JPEG; other bytes pass through unread (WebP's
    decoder checks its own frames; anything else is refused by type afterwards)."""
    if data.startswith(GIF_SIGNATURES):
        return _walk_gif(data)
    if data.startswith(PNG_SIGNATURE):
        return _walk_png(data)
    if data.startswith(JPEG_SIGNATURE):
        return _walk_jpeg(data)
    return Walked(data)


def _frame_outside(kind, number, frame, canvas):
    left, top, width, height = frame
    return ValidationError(
        # Translators: %(kind)s is GIF, PNG or WebP; sizes and places in pixels.
        gettext(
            "Frame %(number)s of this %(kind)s (%(width)s × %(height)s at %(left)s, %(top)s) "
            "does not fit inside the image (%(canvas_width)s × %(canvas_height)s)."
        )
        % {
            "number": grouped(number),
            "kind": kind,
            "width": grouped(width),
            "height": grouped(height),
            "left": grouped(left),
            "top": grouped(top),
            "canvas_width": grouped(canvas[0]),
            "canvas_height": grouped(canvas[1]),
        },
        code="frame_outside_image",
    )


def _check_frame(kind, number, frame, canvas):
    left, top, width, height = frame
    if left + width > canvas[0] or top + height > canvas[1]:
        raise _frame_outside(kind, number, frame, canvas)
    if number > MAX_FRAMES:
        raise too_many_frames()


def _unpack(layout, data, offset):
    try:
        return struct.unpack_from(layout, data, offset)
    except struct.error as error:
        raise Malformed(f"cut short at byte {offset}") from error


# --- GIF ---------------------------------------------------------------------------------


def _walk_gif(data):
    """Logical screen descriptor and global colour table, then blocks until the trailer:
    extensions (label and sub-blocks) and images (descriptor, local colour table, LZW
    minimum code size and sub-blocks). Bytes after the trailer, or where a block should
    start but none does (browsers stop there too), are not given to the decoder."""
    width, height, flags = _unpack("<HHB", data, 6)
    position = 13 + _colour_table_size(flags)
    frames = 0
    sub_blocks_left = MAX_GIF_SUB_BLOCKS
    while position < len(data):
        introducer = data[position]
        if introducer == _GIF_EXTENSION:
            position += 2  # introducer and label
        elif introducer == _GIF_IMAGE:
            left, top, frame_width, frame_height, flags = _unpack("<HHHHB", data, position + 1)
            frames += 1
            _check_frame("GIF", frames, (left, top, frame_width, frame_height), (width, height))
            position += 11 + _colour_table_size(flags)  # descriptor, table, LZW code size
        else:  # the trailer, or bytes that are no block
            break
        position, sub_blocks_left = _skip_sub_blocks(data, position, sub_blocks_left)
    if not frames:
        raise Malformed("no image in the GIF")
    return Walked(data[:position] + bytes([_GIF_TRAILER]), frames)


def _colour_table_size(flags):
    return 3 << ((flags & 0x07) + 1) if flags & 0x80 else 0


def _skip_sub_blocks(data, position, sub_blocks_left):
    """The position after a run of sub-blocks (each a length byte and that many bytes,
    ended by a zero length), and how many more the file may have."""
    while True:
        if position >= len(data):
            raise Malformed("sub-blocks cut short")
        size = data[position]
        position += 1
        if not size:
            return position, sub_blocks_left
        position += size
        sub_blocks_left -= 1
        if sub_blocks_left < 0:
            raise ValidationError(
                gettext(
                    "This GIF is split into more than %(count)s blocks of data, which no usual "
                    "program writes; save it again and upload the copy."
                )
                % {"count": grouped(MAX_GIF_SUB_BLOCKS)},
                code="too_many_blocks",
            )


# --- PNG ---------------------------------------------------------------------------------


def _walk_png(data):
    """Every chunk's length and type up to IEND: IHDR for the canvas, acTL's frame count,
    each fcTL's frame geometry, and a count of chunks and compressed metadata chunks."""
    position = len(PNG_SIGNATURE)
    canvas = None
    frames = chunks = compressed = 0
    while position + 8 <= len(data):
        length, kind = _unpack(">I4s", data, position)
        body = position + 8
        position = body + length + 4  # data and CRC
        if position > len(data):
            raise Malformed(f"{kind!r} chunk cut short")
        chunks += 1
        if canvas is None:
            if kind != b"IHDR" or length < 8:
                raise Malformed("IHDR is not the first chunk")
            canvas = _unpack(">II", data, body)
        elif kind == b"acTL" and length >= 4 and _unpack(">I", data, body)[0] > MAX_FRAMES:
            raise too_many_frames()
        elif kind == b"fcTL" and length >= 20:
            width, height, left, top = _unpack(">IIII", data, body + 4)
            frames += 1
            _check_frame("PNG", frames, (left, top, width, height), canvas)
        elif kind in _PNG_COMPRESSED or (kind == b"iTXt" and _compressed_itxt(data, body)):
            compressed += 1
            if compressed > MAX_PNG_COMPRESSED_CHUNKS:
                raise ValidationError(
                    gettext(
                        "This PNG holds more than %(count)s compressed text or colour profile "
                        "chunks; save it again without its metadata."
                    )
                    % {"count": MAX_PNG_COMPRESSED_CHUNKS},
                    code="too_many_text_chunks",
                )
        elif kind == b"IEND":
            break
        if chunks > MAX_PNG_CHUNKS:
            raise ValidationError(
                gettext(
                    "This PNG is split into more than %(count)s chunks, which no usual program "
                    "writes; save it again and upload the copy."
                )
                % {"count": grouped(MAX_PNG_CHUNKS)},
                code="too_many_blocks",
            )
    if canvas is None:
        raise Malformed("no IHDR")
    return Walked(data)


def _compressed_itxt(data, body):
    """Whether an iTXt chunk's compression flag (after its keyword) is set."""
    keyword_end = data.find(b"\x00", body, body + 80)
    return keyword_end != -1 and keyword_end + 1 < len(data) and data[keyword_end + 1] != 0


# --- JPEG --------------------------------------------------------------------------------


def _walk_jpeg(data):
    """Segments from SOI to EOI (or the end of the data: decoders accept a JPEG without
    EOI), counting them and their start-of-scan markers and skipping each scan's
    entropy-coded data to the marker that ends it. What follows EOI (an MPO's other
    pictures) and the multi-picture index are left out of what the decoder is given."""
    position = 2
    segments = scans = 0
    index = None  # (start, end) of the multi-picture index segment
    while True:
        position = data.find(b"\xff", position)  # libjpeg skips stray bytes, and so do we
        if position == -1 or position + 1 >= len(data):
            return _primary_picture(data, len(data), index)
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
        elif marker == _JPEG_EOI:
            return _primary_picture(data, position + 2, index)
        elif marker in _JPEG_STANDALONE or marker == 0x00:
            position += 2
        else:
            segments += 1
            if segments > MAX_JPEG_SEGMENTS:
                raise ValidationError(
                    gettext(
                        "This JPEG is split into more than %(count)s segments, which no camera "
                        "or editor writes. Save it again and upload the copy."
                    )
                    % {"count": grouped(MAX_JPEG_SEGMENTS)},
                    code="too_many_segments",
                )
            (length,) = _unpack(">H", data, position + 2)
            start, position = position, position + 2 + length
            if marker == _JPEG_APP2 and data.startswith(_MULTI_PICTURE_INDEX, start + 4):
                index = index or (start, position)
            elif marker == _JPEG_SOS:
                scans += 1
                if scans > MAX_JPEG_SCANS:
                    raise ValidationError(
                        gettext(
                            "This JPEG is made of more than %(count)s scans; photos have about "
                            "ten. Save it again and upload the copy."
                        )
                        % {"count": MAX_JPEG_SCANS},
                        code="too_many_scans",
                    )
                end = _JPEG_MARKER_AFTER_SCAN.search(data, position)
                position = end.start() if end else len(data)


def _primary_picture(data, end, index):
    """The JPEG up to `end`, without its multi-picture index: Pillow opens that as a plain
    JPEG, never as an MPO."""
    if index is None:
        return Walked(data if end == len(data) else data[:end])
    start, stop = index
    return Walked(data[:start] + data[stop:end])
