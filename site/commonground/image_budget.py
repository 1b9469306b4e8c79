"""What an accepted image may cost the server, by format, and the size it is kept at.

The decoder's work grows with the pixels a file asks for, not with its bytes: a 1.7 KB
lossless WebP can say 40 megapixels. So each format has a cap on the pixels it may ask for
(its size times its frames), read from the header before anything is decoded, set from
what a decode and re-encode of the worst file of that format (flat and noisy content)
costs on a 2-core machine (figures: benchmarks/upload_bombs.py):

- JPEG and PNG stills: 40 megapixels (settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS). libjpeg
  decodes a large JPEG at a half, a quarter or an eighth of its size straight away; a PNG
  decodes to 4 bytes a pixel.
- WebP stills: 16 megapixels. libwebp decodes every WebP through its animation decoder,
  which keeps two full canvases of 4 bytes a pixel besides Pillow's copy: about 16 bytes a
  pixel, four times a PNG's.
- GIF: a canvas of at most STORED_PIXELS, since a GIF cannot be scaled without being
  quantised again (seconds a megapixel).
- Animations (GIF, PNG, WebP): every frame is composited at the canvas size and encoded
  again, so a canvas of at most STORED_PIXELS (an animation is never scaled) and at most
  ANIMATION_PIXELS in all frames, fewer for WebP, whose frames cost the most to decode and
  encode.

Still images over STORED_PIXELS are stored scaled down to fit it. Wagtail makes a page's
renditions from the stored file, three at a time, each decoding it whole: stored at 40
megapixels, the case page's first view took 0.9 GB for a JPEG and 2.3 GB for a WebP. The
largest rendition the site shows is 1920 × 1080, so 8.3 megapixels (a 4K frame) keeps
every rendition sharp.
"""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MEGAPIXEL = 1_000_000
# 3840 × 2160 fits: what a still image is stored at, at most, and an animation's canvas.
STORED_PIXELS = 8_300_000
STILL_PIXELS = {"WEBP": 16_000_000, "GIF": STORED_PIXELS}
ANIMATION_PIXELS = {"WEBP": 16_000_000}
FORMAT_NAMES = {
    "JPEG": _("JPEG images"),
    "PNG": _("PNG images"),
    "WEBP": _("WebP images"),
    "GIF": _("GIFs"),
}
ANIMATED_FORMAT_NAMES = {"WEBP": _("animated WebP images")}


def round_up(value):
    """One decimal, rounded up, without a trailing .0: a file just over a limit never reads
    as exactly the limit."""
    return _decimal(math.ceil(value * 10) / 10)


def round_down(value):
    return _decimal(math.floor(value * 10) / 10)


def _decimal(value):
    """`value` without a trailing .0, with the active language's decimal separator."""
    return f"{value:g}".replace(".", get_format("DECIMAL_SEPARATOR"))


def max_pixels():
    return settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS


def too_many_pixels(pixels, *, animated=False, over=False):
    """The site-wide cap's refusal (WAGTAILIMAGES_MAX_IMAGE_PIXELS, every format)."""
    limit = round_up(max_pixels() / MEGAPIXEL)
    shown = round_down(pixels / MEGAPIXEL) if over else round_up(pixels / MEGAPIXEL)
    if animated and over:
        message = gettext(
            "This animation is over %(pixels)s megapixels in all its frames; images can be at "
            "most %(limit)s megapixels."
        )
    elif animated:
        message = gettext(
            "This animation is %(pixels)s megapixels in all its frames; images can be at most "
            "%(limit)s megapixels."
        )
    elif over:
        message = gettext(
            "This image is over %(pixels)s megapixels; images can be at most %(limit)s megapixels."
        )
    else:
        message = gettext(
            "This image is %(pixels)s megapixels; images can be at most %(limit)s megapixels."
        )
    return ValidationError(
        message % {"pixels": shown, "limit": limit},
        code="too_many_pixels",
    )


def check(image_format, size, frames) -> None:
    """Refuses (ValidationError) an image whose decoding and re-encoding would cost more
    than its format's budget; `size` is the canvas, `frames` how many it composites."""
    width, height = size
    canvas = width * height
    pixels = canvas * frames
    animated = frames > 1
    if pixels > max_pixels():
        raise too_many_pixels(pixels, animated=animated)
    if animated and canvas > STORED_PIXELS:
        raise ValidationError(
            gettext(
                "Each frame of this animation is %(pixels)s megapixels; an animation's frames "
                "can be at most %(limit)s megapixels."
            )
            % {
                "pixels": round_up(canvas / MEGAPIXEL),
                "limit": round_up(STORED_PIXELS / MEGAPIXEL),
            },
            code="frame_too_large",
        )
    cap = (ANIMATION_PIXELS if animated else STILL_PIXELS).get(image_format)
    if cap is not None and pixels > cap:
        numbers = {
            "pixels": round_up(pixels / MEGAPIXEL),
            "cap": round_up(cap / MEGAPIXEL),
            "limit": round_up(max_pixels() / MEGAPIXEL),
        }
        if animated:
            # Translators: %(format)s is "animated WebP images" (translated on its own).
            message = gettext(
                "This animation is %(pixels)s megapixels in all its frames; "
                "%(format)s can be at most %(cap)s megapixels (a JPEG or PNG photo can be "
                "%(limit)s)."
            )
        else:
            # Translators: %(format)s is "WebP images" or "GIFs" (translated on its own).
            message = gettext(
                "This image is %(pixels)s megapixels; %(format)s can be at most %(cap)s "
                "megapixels (a JPEG or PNG photo can be %(limit)s)."
            )
        raise ValidationError(
            message
            % {
                **numbers,
                "format": (ANIMATED_FORMAT_NAMES if animated else FORMAT_NAMES)[image_format],
            },
            code="too_many_pixels",
        )


def stored_size(size):
    """The size a still image of `size` is stored at: its own, or scaled down (keeping its
    proportions) to at most STORED_PIXELS."""
    width, height = size
    if width * height <= STORED_PIXELS:
        return size
    scale = math.sqrt(STORED_PIXELS / (width * height))
    return max(1, math.floor(width * scale)), max(1, math.floor(height * scale))
