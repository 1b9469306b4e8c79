"""Pictures shown whole. Contributed images are often posters, appeals or screenshots whose
text runs to the edges, so they are scaled, never cropped: each rendition keeps the
original's aspect ratio, and the srcset lists only widths the original can supply, each
with its true width (Wagtail does not enlarge, so asking a 1000-pixel image for 800 and
1200 gives 800 and 1000, and two requests past its width would give two equal candidates)."""

from django import template

from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

register = template.Library()

# Modern browsers take WebP; JPEG is the fallback <img>.
FORMATS = ("webp", "jpeg")


def supplied_widths(original_width: int, wanted: list[int]) -> list[int]:
    """The wanted widths the original can supply, ascending and distinct: those narrower than
    the original, then the original's own width where it is narrower than the widest wanted."""
    widths = sorted({width for width in wanted if 0 < width < original_width})
    top = min(original_width, max(wanted))
    if top > 0 and top not in widths:
        widths.append(top)
    return widths


@register.simple_tag
def uncropped_picture(image, widths="480 800 1200", **attrs):
    """A <picture> of `image` at up to the given widths (a space-separated string), WebP with
    a JPEG fallback; the other keyword arguments (alt, sizes, loading…) go on the <img>."""
    if not image:
        return ""
    wanted = [int(width) for width in str(widths).split()]
    specs = [
        f"width-{width}|format-{fmt}"
        for fmt in FORMATS
        for width in supplied_widths(image.width, wanted)
    ]
    if not specs:
        return ""
    return Picture(get_renditions_or_not_found(image, specs), attrs).__html__()
