"""What an accepted image may cost (commonground/image_budget.py): pixel caps by format,
refused before anything is decoded; still images stored at most STORED_PIXELS; and a
stored file never larger than the upload limit, however small the upload."""

import io

import pytest
from PIL import Image

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from commonground.image_budget import STORED_PIXELS
from commonground.uploads import checked_image
from tests.crafted_images import Frame, animated_webp, gif, noise_tiles

KB = 1024


def encode(image, image_format, **options):
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()


def refused(data, name):
    with pytest.raises(ValidationError) as caught:
        checked_image(SimpleUploadedFile(name, data))
    return caught.value.messages


def stored(data, name):
    result = checked_image(SimpleUploadedFile(name, data))
    result.seek(0)
    image = Image.open(io.BytesIO(result.read()))
    image.load()
    return image


# --- caps by format, before decoding -----------------------------------------------------


def test_the_reviewers_small_solid_webp_is_refused_before_decoding(no_decoding):
    # 1,722 bytes that cost 3.1 s and 1.16 GB to check, and 2.3 GB for the renditions.
    data = encode(Image.new("RGBA", (6320, 6320), (10, 200, 30, 100)), "WEBP", lossless=True)
    assert len(data) < 2 * KB
    assert refused(data, "solid.webp") == [
        "This image is 40 megapixels; WebP images can be at most 16 megapixels (a JPEG or PNG "
        "photo can be 40)."
    ]


def test_an_animated_webp_over_its_budget_is_refused_before_decoding(no_decoding):
    frames = [Frame(0, 0, 2400, 2400, colour=1 + n % 3) for n in range(3)]
    assert refused(animated_webp((2400, 2400), frames), "anim.webp") == [
        "This animation is 17.3 megapixels in all its frames; animated WebP images can be at "
        "most 16 megapixels (a JPEG or PNG photo can be 40)."
    ]


def test_an_animation_whose_frames_are_larger_than_the_stored_size_is_refused(no_decoding):
    data = gif((3000, 3000), [Frame(0, 0, 3000, 3000), Frame(0, 0, 3000, 3000, colour=2)])
    assert refused(data, "anim.gif") == [
        "Each frame of this animation is 9 megapixels; an animation's frames can be at most "
        "8.3 megapixels."
    ]


def test_a_gif_larger_than_the_stored_size_is_refused(no_decoding):
    data = gif((3000, 3000), [Frame(0, 0, 3000, 3000)])
    assert refused(data, "big.gif") == [
        "This image is 9 megapixels; GIFs can be at most 8.3 megapixels (a JPEG or PNG photo "
        "can be 40)."
    ]


# --- stored size -------------------------------------------------------------------------


def halves(size):
    """Red on the left half, blue on the right."""
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    return image


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_a_large_still_image_is_stored_scaled_down_keeping_its_proportions(image_format):
    data = encode(halves((4000, 2500)), image_format)
    image = stored(data, f"wide.{image_format.lower()}")
    assert image.format == image_format
    width, height = image.size
    assert width * height <= STORED_PIXELS
    assert width * height > 0.99 * STORED_PIXELS
    assert abs(width / height - 1.6) < 0.001
    red, blue = image.getpixel((width // 4, height // 2)), image.getpixel((3 * width // 4, 0))
    assert red[0] > 200 and red[2] < 60 and blue[2] > 200 and blue[0] < 60


def test_a_large_photo_turned_by_exif_is_scaled_then_turned_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: rotate 90° clockwise to display
    data = encode(halves((4000, 2500)), "JPEG", exif=exif)
    image = stored(data, "sideways.jpg")
    width, height = image.size
    assert height > width and width * height <= STORED_PIXELS
    assert not image.getexif()
    top = image.getpixel((width // 2, height // 10))
    bottom = image.getpixel((width // 2, 9 * height // 10))
    assert top[0] > 200 and bottom[2] > 200  # the left half turned to the top


def test_a_large_palette_png_keeps_its_transparency_when_scaled():
    image = Image.new("P", (4000, 2500), 1)
    image.putpalette([0, 0, 0, 255, 0, 0])
    image.paste(0, (0, 0, 2000, 2500))
    data = encode(image, "PNG", transparency=0)
    result = stored(data, "logo.png")
    assert result.size[0] * result.size[1] <= STORED_PIXELS
    assert result.convert("RGBA").getpixel((10, 10))[3] == 0
    assert result.convert("RGBA").getpixel((result.size[0] - 10, 10)) == (255, 0, 0, 255)


# --- what is stored is no larger than the upload limit -----------------------------------


def test_a_small_webp_whose_re_encoding_passes_the_upload_limit_is_refused(settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 200 * KB
    data = encode(noise_tiles((1024, 1024)), "WEBP", lossless=True)
    assert len(data) < 40 * KB
    assert refused(data, "tiles.webp") == [
        "Saved again without its metadata, this image would take more than 0.2 MB, the most "
        "an image can take. Upload it with fewer pixels or saved as a JPEG."
    ]


def test_a_jpeg_whose_re_encoding_passes_the_upload_limit_is_refused(settings):
    # Saved at quality 5, stored at 90: noise takes several times the bytes.
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100 * KB
    data = encode(Image.effect_noise((600, 600), 100).convert("RGB"), "JPEG", quality=5)
    assert len(data) < 100 * KB
    assert refused(data, "noise.jpg") == [
        "Saved again without its metadata, this image would take more than 0.1 MB, the most "
        "an image can take. Upload it with fewer pixels or saved as a JPEG."
    ]
