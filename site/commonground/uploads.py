"""The one place user image uploads are checked: member avatars, images in contributed
case studies and images uploaded through the Wagtail admin all go through checked_image().

The rules, in the order they are applied:

1. at most settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE bytes, checked before anything is decoded;
2. JPEG, PNG, WebP or GIF, decided by the content (Pillow's detected format), never by the
   file name or the browser's content type; SVG and anything else is refused;
3. at most settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS pixels (all frames of an animation
   together), read from the header before any pixel is decoded, so a decompression bomb is
   refused without being allocated;
4. every frame decodes completely (truncated or damaged files are refused);
5. the image is re-encoded in its own format after applying the EXIF orientation, with no
   EXIF, XMP, IPTC, comments or text chunks (so no GPS location); only the colour profile
   and the palette transparency survive. Animated GIFs, WebPs and PNGs keep their frames,
   frame durations and loop count;
6. the stored name is ``<slugified stem>-<random>.<extension of the real type>``.
"""

import io
import math
import secrets
from pathlib import PurePath

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify

# Pillow format → (file extension, MIME type).
ACCEPTED_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
ACCEPT_ATTRIBUTE = ",".join(mime for _, mime in ACCEPTED_FORMATS.values())

MB = 1024 * 1024
JPEG_QUALITY = 90
WEBP_QUALITY = 90

NOT_AN_IMAGE = "This file is not a JPEG, PNG, WebP or GIF image."
DAMAGED = "This image file is incomplete or damaged."
EMPTY = "This file is empty."
# Decoding errors Pillow raises for truncated or malformed data.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)


def _round_up(value):
    """One decimal, rounded up, without a trailing .0: a file just over the limit never
    reads as exactly the limit."""
    return f"{math.ceil(value * 10) / 10:g}"


def _round_down(value):
    return f"{math.floor(value * 10) / 10:g}"


def _max_bytes():
    return settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE


def _max_pixels():
    return settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS


def _too_big(size):
    return ValidationError(
        f"This file is {_round_up(size / MB)} MB; "
        f"images can be at most {_round_up(_max_bytes() / MB)} MB.",
        code="file_too_large",
    )


def _too_many_pixels(pixels, *, animated=False, over=False):
    what = "This animation is" if animated else "This image is"
    if over:
        amount = f"over {_round_down(pixels / 1_000_000)} megapixels"
    else:
        amount = f"{_round_up(pixels / 1_000_000)} megapixels"
    if animated:
        amount += " in all its frames"
    return ValidationError(
        f"{what} {amount}; images can be at most {_round_up(_max_pixels() / 1_000_000)} "
        "megapixels.",
        code="too_many_pixels",
    )


def _read_limited(uploaded_file):
    """The file's bytes, refusing before reading anything if it declares itself too big
    (and, whatever it declares, never reading more than one byte past the limit)."""
    limit = _max_bytes()
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise _too_big(size)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise _too_big(size if size and size > limit else len(data))
    if not data:
        raise ValidationError(EMPTY, code="empty")
    return data


def _open(data):
    try:
        image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
    except Image.DecompressionBombError as error:
        # Over twice Pillow's own limit: Pillow refuses before we can read the size.
        raise _too_many_pixels(2 * Image.MAX_IMAGE_PIXELS, over=True) from error
    except Image.DecompressionBombWarning as error:  # only when warnings are errors
        raise _too_many_pixels(Image.MAX_IMAGE_PIXELS, over=True) from error
    except UnidentifiedImageError as error:
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from error
    except _DECODE_ERRORS as error:
        raise ValidationError(DAMAGED, code="damaged_image") from error
    if image.format not in ACCEPTED_FORMATS:  # defensive: formats= already restricts
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image")
    return image


def _frame_count(image):
    try:
        return max(1, getattr(image, "n_frames", 1))
    except _DECODE_ERRORS as error:
        raise ValidationError(DAMAGED, code="damaged_image") from error


def _clean_frames(image, frames):
    """Every frame fully decoded, turned upright, with nothing but pixels, palette
    transparency and colour profile (no EXIF, XMP, IPTC, comments, text chunks)."""
    cleaned, durations = [], []
    try:
        iterator = ImageSequence.Iterator(image) if frames > 1 else [image]
        for frame in iterator:
            frame.load()
            upright = ImageOps.exif_transpose(frame)  # a copy, orientation applied
            upright.info = {
                key: frame.info[key]
                for key in ("transparency", "icc_profile")
                if key in frame.info
            }
            cleaned.append(upright)
            durations.append(frame.info.get("duration", 100))
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(2 * Image.MAX_IMAGE_PIXELS, over=True) from error
    except _DECODE_ERRORS as error:
        raise ValidationError(DAMAGED, code="damaged_image") from error
    return cleaned, durations


def _encode(image_format, frames, durations, loop):
    first = frames[0]
    options = {}
    if first.info.get("icc_profile"):
        options["icc_profile"] = first.info["icc_profile"]
    if image_format == "JPEG":
        if first.mode not in ("L", "RGB", "CMYK"):
            first = first.convert("RGB")
        options.update(quality=JPEG_QUALITY, optimize=True)
    elif image_format == "WEBP":
        options.update(quality=WEBP_QUALITY)
    elif image_format == "GIF":
        # Frames come out of Pillow composited, so each one replaces the last.
        options.update(disposal=2)
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:], duration=durations)
        options["loop"] = loop if loop is not None else 0
    out = io.BytesIO()
    first.save(out, format=image_format, **options)
    return out.getvalue()


def safe_name(original_name, extension):
    stem = slugify(PurePath(str(original_name or "")).stem)[:50].strip("-_") or "image"
    return f"{stem}-{secrets.token_hex(4)}.{extension}"


def checked_image(uploaded_file) -> ContentFile:
    """Check an uploaded image and return it re-encoded, without metadata, under a safe
    name. Raises ValidationError with one user-facing message when it is refused."""
    data = _read_limited(uploaded_file)
    image = _open(data)
    with image:
        image_format = image.format
        frames = _frame_count(image)
        width, height = image.size
        pixels = width * height * frames
        if pixels > _max_pixels():
            raise _too_many_pixels(pixels, animated=frames > 1)
        loop = image.info.get("loop")
        cleaned, durations = _clean_frames(image, frames)
        try:
            encoded = _encode(image_format, cleaned, durations, loop)
        except _DECODE_ERRORS as error:
            raise ValidationError(DAMAGED, code="damaged_image") from error
    extension, content_type = ACCEPTED_FORMATS[image_format]
    result = ContentFile(encoded, name=safe_name(getattr(uploaded_file, "name", ""), extension))
    result.content_type = content_type
    result.image_format = image_format
    return result


class ImageFileField(forms.FileField):
    """A file field for user images that the browser offers only the accepted types. Its
    cleaning decodes nothing: a form that must check something else first (an allowance)
    calls checked_image() itself."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", ACCEPT_ATTRIBUTE)
        return attrs


class ImageUploadField(ImageFileField):
    """An image file field whose cleaning returns checked_image()'s re-encoded ContentFile
    in place of the upload."""

    def clean(self, data, initial=None):
        cleaned = super().clean(data, initial)
        if isinstance(cleaned, UploadedFile):  # a new upload, not the kept initial file
            return checked_image(cleaned)
        return cleaned
