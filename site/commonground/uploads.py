"""The one place user image uploads are checked: member avatars, images in contributed
case studies, and images and profile pictures uploaded in the Wagtail admin all go through
checked_image().

The rules, in the order they are applied:

1. at most settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE bytes, checked before anything is decoded;
2. JPEG, PNG, WebP or GIF, decided by the content (Pillow's detected format), never by the
   file name or the browser's content type; SVG and anything else is refused;
3. a structure that bounds the decoder's work, read from the bytes before anything is
   decoded (image_structure.py): every GIF and animated PNG frame inside the image, at
   most 1,000 frames, at most 32 JPEG scans, few PNG metadata chunks;
4. at most settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS pixels (the image's size times its
   frames, which is what the decoder composites), and within its format's budget
   (image_budget.py: fewer for WebP, GIF and animations), read from the header before any
   pixel is decoded, so a decompression bomb is refused without being allocated;
5. every frame decodes completely (truncated or damaged files are refused);
6. the image is re-encoded in its own format after applying the EXIF orientation, with no
   EXIF, XMP, IPTC, comments or text chunks (so no GPS location); only the colour profile
   and the palette transparency survive. A still image over image_budget.STORED_PIXELS is
   scaled down to fit; animated GIFs, WebPs and PNGs keep their size, frames, frame
   durations and loop count. A JPEG with a multi-picture index (MPO) is stored as its
   primary picture, a plain JPEG;
7. what is stored is at most settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE bytes too: a small
   file whose pixels compress far better than our re-encoding could store many times its
   size, so the encoder stops and the upload is refused once it passes the limit;
8. the stored name is ``<slugified stem>-<random>.<extension of the real type>``.
"""

import io
import secrets
from pathlib import PurePath

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commonground import image_budget, image_structure
from commonground.image_budget import round_up, too_many_pixels

# Pillow format → (file extension, MIME type).
ACCEPTED_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
ACCEPT_ATTRIBUTE = ",".join(mime for _format, mime in ACCEPTED_FORMATS.values())

MB = 1024 * 1024
JPEG_QUALITY = 90
WEBP_QUALITY = 90
# libwebp's quickest lossy method: at 8 megapixels of noise it takes half the time of its
# default (4) for a file a few per cent larger (benchmarks/upload_bombs.py).
WEBP_METHOD = 0

NOT_AN_IMAGE = _("This file is not a JPEG, PNG, WebP or GIF image.")
DAMAGED = _("This image file is incomplete or damaged.")
ANIMATED_PNG = _(
    "Animated PNG images cannot be used here. Save the animation as a GIF or WebP, or the "
    "picture as a still PNG."
)
EMPTY = _("This file is empty.")
FRAME_TOO_LONG = _(
    "This animation shows one picture for longer than its format can store (a GIF: about "
    "11 minutes); shorten its longest frame delay."
)
# Decoding errors Pillow raises for truncated or malformed data.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)


def _max_bytes():
    return settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE


def _too_big(size):
    return ValidationError(
        gettext("This file is %(size)s MB; images can be at most %(limit)s MB.")
        % {"size": round_up(size / MB), "limit": round_up(_max_bytes() / MB)},
        code="file_too_large",
    )


def _stored_too_big():
    return ValidationError(
        gettext(
            "Saved again without its metadata, this image would take more than %(limit)s MB, "
            "the most an image can take. Upload it with fewer pixels or saved as a JPEG."
        )
        % {"limit": round_up(_max_bytes() / MB)},
        code="stored_too_large",
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
        raise too_many_pixels(2 * Image.MAX_IMAGE_PIXELS, over=True) from error
    except Image.DecompressionBombWarning as error:  # only when warnings are errors
        raise too_many_pixels(Image.MAX_IMAGE_PIXELS, over=True) from error
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


def _cleaned_frames(image, frames):
    """Each frame fully decoded, turned upright, with nothing but pixels, palette
    transparency, colour profile and (in an animation) duration: no EXIF, XMP, IPTC,
    comments or text chunks. A still image comes scaled down to its stored size. A
    generator, so that the GIF encoder (which keeps one byte a pixel of each frame) never
    has every frame's full-colour copy in memory at once."""
    if frames == 1:
        yield _cleaned_still(image)
        return
    for frame in ImageSequence.Iterator(image):
        frame.load()
        upright = ImageOps.exif_transpose(frame)  # a copy: the next frame overwrites this one
        upright.info = {
            **_kept(frame.info, "transparency", "icc_profile"),
            "duration": frame.info.get("duration", 100),
        }
        yield upright


def _cleaned_still(image):
    size = image_budget.stored_size(image.size)
    if size != image.size:
        # libjpeg decodes straight to a half, a quarter or an eighth of the size, no
        # smaller than asked; other decoders ignore this.
        image.draft(None, size)
    image.load()
    if size != image.size:
        if image.mode not in _SCALABLE_MODES:
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        # Averaging whole blocks of pixels first keeps Lanczos (and, for RGBA, its
        # premultiplied copy) off the full-size image.
        factor = min(image.width // size[0], image.height // size[1])
        if factor > 1:
            image = image.reduce(factor)
        image = image.resize(size, Image.Resampling.LANCZOS)
    ImageOps.exif_transpose(image, in_place=True)  # a copy would double a large photo
    image.info = _kept(image.info, "transparency", "icc_profile")
    return image


# Modes Pillow resizes with a real filter (a palette would be scaled by nearest pixel).
_SCALABLE_MODES = {"L", "RGB", "RGBA", "CMYK", "I", "F"}


class _StoredTooLarge(Exception):
    """The re-encoded image passed the upload limit."""


class _CappedBuffer(io.BytesIO):
    """Output that stops the encoder as soon as it passes `limit` bytes (the JPEG, PNG and
    GIF encoders write as they go; libwebp hands over the whole file, checked after)."""

    def __init__(self, limit):
        super().__init__()
        self.limit = limit

    def write(self, data):
        if self.tell() + len(data) > self.limit:
            raise _StoredTooLarge
        return super().write(data)


def _kept(info, *keys):
    return {key: info[key] for key in keys if key in info}


def _encode(image_format, frames, animated, loop):
    first = next(frames)
    options = {}
    if first.info.get("icc_profile"):
        options["icc_profile"] = first.info["icc_profile"]
    if image_format == "JPEG":
        if first.mode not in ("L", "RGB", "CMYK"):
            first = first.convert("RGB")
        options.update(quality=JPEG_QUALITY, optimize=True)
    elif image_format == "WEBP":
        options.update(quality=WEBP_QUALITY, method=WEBP_METHOD)
    elif image_format == "GIF":
        # Frames come out of Pillow composited, so each one replaces the last.
        options.update(disposal=2)
    if animated:
        options.update(save_all=True, loop=loop if loop is not None else 0)
        if image_format == "GIF":  # takes each frame's duration as it comes
            options["append_images"] = frames
        else:  # the PNG and WebP encoders read the frames twice, or want every duration
            rest = list(frames)
            options["append_images"] = rest
            options["duration"] = [frame.info["duration"] for frame in (first, *rest)]
    out = _CappedBuffer(_max_bytes())
    first.save(out, format=image_format, **options)
    if out.tell() > out.limit:
        raise _StoredTooLarge
    return out.getvalue()


def safe_name(original_name, extension):
    stem = slugify(PurePath(str(original_name or "")).stem)[:50].strip("-_") or "image"
    return f"{stem}-{secrets.token_hex(4)}.{extension}"


def _walked(data):
    try:
        return image_structure.walk(data)
    except image_structure.Malformed as error:
        raise ValidationError(DAMAGED, code="damaged_image") from error


def checked_image(uploaded_file) -> ContentFile:
    """Check an uploaded image and return it re-encoded, without metadata, under a safe
    name. Raises ValidationError with one user-facing message when it is refused."""
    walked = _walked(_read_limited(uploaded_file))
    image = _open(walked.data)
    with image:
        image_format = image.format
        frames = walked.frames or _frame_count(image)
        if frames > image_structure.MAX_FRAMES:  # WebP: libwebp counts them when opening
            raise image_structure.too_many_frames()
        if image_format == "PNG" and frames > 1:
            # Wagtail's image library (Willow) cannot open an animated PNG at all: storing
            # one made every page that shows it fail.
            raise ValidationError(ANIMATED_PNG, code="animated_png")
        image_budget.check(image_format, image.size, frames)
        loop = image.info.get("loop")
        try:
            encoded = _encode(image_format, _cleaned_frames(image, frames), frames > 1, loop)
        except Image.DecompressionBombError as error:
            raise too_many_pixels(2 * Image.MAX_IMAGE_PIXELS, over=True) from error
        except _StoredTooLarge as error:
            raise _stored_too_big() from error
        except OverflowError as error:
            # The GIF encoder merges identical frames and adds up their delays, which a GIF
            # stores in at most 655.35 s.
            raise ValidationError(FRAME_TOO_LONG, code="frame_too_long") from error
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
