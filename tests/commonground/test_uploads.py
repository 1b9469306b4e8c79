"""checked_image(): real files made here with Pillow (or raw bytes where Pillow would not
write them), each refusal with its exact message."""

import io
import struct
import zlib

import pytest
from PIL import Image, ImageSequence
from PIL.PngImagePlugin import PngInfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from commonground.uploads import ImageUploadField, checked_image
from tests.commonground.conftest import add_in_wagtail_admin
from tests.crafted_images import PNG_SIGNATURE, png_chunk

MB = 1024 * 1024
GPS_IFD = 0x8825
ORIENTATION = 0x0112
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.0N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def encode(image, image_format, **options):
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()


def two_colour(size=(40, 20)):
    """Red on the left half, blue on the right: shows which way the image was turned."""
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    return image


def noise_jpeg(size=(256, 256)):
    return encode(Image.effect_noise(size, 80).convert("RGB"), "JPEG", quality=95)


def png_bomb(width, height):
    """A valid PNG header claiming width × height 1-bit grey pixels, with a tiny IDAT: a few
    hundred bytes that would decode to tens of megabytes."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1024, 9)
    return (
        PNG_SIGNATURE
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", rows)
        + png_chunk(b"IEND", b"")
    )


def reopen(content_file):
    content_file.seek(0)
    image = Image.open(io.BytesIO(content_file.read()))
    image.load()
    return image


def refused(data, **kwargs):
    with pytest.raises(ValidationError) as caught:
        checked_image(upload(data, **kwargs))
    return caught.value.messages


# --- refusals ----------------------------------------------------------------------------


def test_a_file_over_10_mb_is_refused_before_it_is_read():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("the size is checked before reading")

    big = Unreadable("holiday.jpg", b"")
    big.size = int(12.3 * MB)
    with pytest.raises(ValidationError) as caught:
        checked_image(big)
    assert caught.value.messages == ["This file is 12.3 MB; images can be at most 10 MB."]


def test_real_bytes_over_10_mb_are_refused_even_when_the_size_is_not_declared():
    data = noise_jpeg() + b"\x00" * (10 * MB + 1)
    assert refused(data) == ["This file is 10.1 MB; images can be at most 10 MB."]
    file = io.BytesIO(data)  # a plain file object, no .size
    with pytest.raises(ValidationError) as caught:
        checked_image(file)
    assert caught.value.messages == ["This file is 10.1 MB; images can be at most 10 MB."]


def test_an_image_over_40_megapixels_is_refused():
    data = encode(Image.new("1", (7000, 6000)), "PNG")
    assert len(data) < MB  # small on disk, too big in pixels
    assert refused(data, name="big.png") == [
        "This image is 42 megapixels; images can be at most 40 megapixels."
    ]


def test_a_png_decompression_bomb_is_refused_without_decoding_it():
    bomb = png_bomb(20000, 20000)  # 400 megapixels in a few hundred bytes
    assert len(bomb) < 200
    assert refused(bomb, name="bomb.png") == [
        "This image is over 178.9 megapixels; images can be at most 40 megapixels."
    ]


def test_a_bomb_between_pillows_warning_and_error_limits_is_refused_by_our_limit():
    bomb = png_bomb(10000, 10000)  # 100 megapixels: Pillow only warns
    with pytest.warns(Image.DecompressionBombWarning):
        messages = refused(bomb, name="bomb.png")
    assert messages == ["This image is 100 megapixels; images can be at most 40 megapixels."]


def test_an_animation_counts_the_pixels_of_every_frame():
    frames = [Image.new("P", (2000, 2000), colour) for colour in range(11)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=50)
    assert refused(data, name="anim.gif") == [
        "This animation is 44 megapixels in all its frames; images can be at most 40 megapixels."
    ]


def test_svg_is_refused():
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
        b'height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>'
    )
    assert refused(svg, name="logo.svg", content_type="image/svg+xml") == [
        "This file is not a JPEG, PNG, WebP or GIF image."
    ]


def test_text_named_like_a_jpeg_is_refused_whatever_the_browser_says():
    assert refused(b"Not an image at all, just words.\n", name="photo.jpg") == [
        "This file is not a JPEG, PNG, WebP or GIF image."
    ]


@pytest.mark.parametrize("image_format", ["BMP", "TIFF"])
def test_other_image_formats_are_refused(image_format):
    data = encode(two_colour(), image_format)
    assert refused(data, name="photo.jpg") == ["This file is not a JPEG, PNG, WebP or GIF image."]


def test_an_empty_file_is_refused():
    assert refused(b"", name="photo.jpg") == ["This file is empty."]


def test_a_jpeg_cut_in_half_is_refused():
    data = noise_jpeg()
    assert refused(data[: len(data) // 2]) == ["This image file is incomplete or damaged."]


def test_a_png_cut_short_is_refused():
    data = encode(Image.effect_noise((128, 128), 80), "PNG")
    assert refused(data[: len(data) - 200], name="shot.png") == [
        "This image file is incomplete or damaged."
    ]


# --- what is kept and what is removed ----------------------------------------------------


def test_a_jpeg_loses_gps_exif_xmp_and_comment_and_is_turned_upright():
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # stored sideways: rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (51.0, 30.0, 0.0)  # GPSLatitude
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 0.0)
    data = encode(two_colour((40, 20)), "JPEG", exif=exif, xmp=XMP, comment=b"Home, 5 Rd")
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(GPS_IFD)  # the test file really carries a location
    assert b"GPSLatitude" in data and b"Home, 5 Rd" in data

    result = checked_image(upload(data, name="IMG 0042 (home).JPG"))

    assert isinstance(result, ContentFile)
    result.seek(0)
    stored = result.read()
    assert b"Exif" not in stored and b"GPS" not in stored and b"PhoneMaker" not in stored
    assert b"xmpmeta" not in stored and b"Home, 5 Rd" not in stored
    image = reopen(result)
    assert image.format == "JPEG"
    assert not image.getexif()
    assert not image.getexif().get_ifd(GPS_IFD)
    assert not {"exif", "xmp", "comment"} & set(image.info)
    assert image.size == (20, 40)  # upright: the orientation was applied, then dropped
    red, blue = image.getpixel((10, 5)), image.getpixel((10, 35))
    assert red[0] > 200 and red[2] < 60  # left half turned to the top
    assert blue[2] > 200 and blue[0] < 60
    assert result.name.startswith("img-0042-home-") and result.name.endswith(".jpg")
    assert result.content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("image_format", "mode", "extension"),
    [("PNG", "RGBA", "png"), ("PNG", "P", "png"), ("WEBP", "RGB", "webp"), ("GIF", "P", "gif")],
)
def test_png_webp_and_gif_are_accepted_and_keep_their_type(image_format, mode, extension):
    image = two_colour().convert(mode)
    data = encode(image, image_format)
    result = checked_image(upload(data, name="picture.jpg", content_type="image/jpeg"))
    stored = reopen(result)
    assert stored.format == image_format
    assert stored.size == (40, 20)
    assert result.name.startswith("picture-") and result.name.endswith(f".{extension}")


def test_the_name_comes_from_the_real_type_not_the_upload():
    data = encode(two_colour(), "PNG")
    result = checked_image(upload(data, name="../../etc/passwd.jpg"))
    assert result.name.startswith("passwd-") and result.name.endswith(".png")
    assert "/" not in result.name
    nameless = checked_image(upload(data, name="....jpg"))
    assert nameless.name.startswith("image-")


def test_png_text_chunks_and_exif_are_removed_and_transparency_kept():
    image = Image.new("RGBA", (10, 10), (255, 0, 0, 0))
    image.putpixel((5, 5), (0, 0, 255, 255))
    info = PngInfo()
    info.add_text("Comment", "taken at 12 Home Road")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD)[1] = "N"
    data = encode(image, "PNG", pnginfo=info, exif=exif)
    assert b"Home Road" in data
    result = checked_image(upload(data, name="shot.png"))
    result.seek(0)
    stored = result.read()
    assert b"Home Road" not in stored and b"xmpmeta" not in stored and b"eXIf" not in stored
    image = reopen(result)
    assert image.getpixel((0, 0))[3] == 0 and image.getpixel((5, 5)) == (0, 0, 255, 255)


def test_webp_exif_is_removed():
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD)[1] = "N"
    exif[0x010F] = "PhoneMaker"
    data = encode(two_colour(), "WEBP", exif=exif, xmp=XMP)
    assert b"PhoneMaker" in data
    result = checked_image(upload(data, name="shot.webp"))
    result.seek(0)
    stored = result.read()
    assert b"PhoneMaker" not in stored and b"EXIF" not in stored and b"XMP " not in stored


def mpo(*pictures, exif=None):
    """A multi-picture JPEG as cameras write it: the primary picture, then the others, with
    an index (MPF) in the primary's APP2 segment."""
    options = {"exif": exif} if exif else {}
    data = encode(pictures[0], "MPO", save_all=True, append_images=pictures[1:], **options)
    assert Image.open(io.BytesIO(data)).format == "MPO"
    return data


def test_a_multi_picture_jpeg_is_stored_as_its_primary_picture_alone():
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"
    data = mpo(two_colour((40, 20)), Image.new("RGB", (64, 64), "green"), exif=exif)
    result = checked_image(upload(data, name="IMG_0001.JPG"))
    result.seek(0)
    stored = result.read()
    assert b"MPF" not in stored and b"Exif" not in stored and b"PhoneMaker" not in stored
    assert stored.count(b"\xff\xd8") == 1  # one picture
    image = reopen(result)
    assert image.format == "JPEG" and result.content_type == "image/jpeg"
    assert image.size == (20, 40)  # the primary, turned upright
    assert image.getpixel((10, 5))[0] > 200  # red, not the green second picture
    assert result.name.endswith(".jpg")


def test_a_multi_picture_jpeg_gets_the_same_structure_checks():
    from commonground.image_structure import MAX_JPEG_SCANS
    from tests.crafted_images import progressive_jpeg

    primary = progressive_jpeg((64, 64), scans=MAX_JPEG_SCANS + 1)
    second = encode(Image.new("RGB", (64, 64), "green"), "JPEG")
    index_owner = mpo(Image.new("RGB", (64, 64)), Image.new("RGB", (64, 64)))
    app2 = index_owner.index(b"\xff\xe2")
    length = struct.unpack(">H", index_owner[app2 + 2 : app2 + 4])[0]
    data = primary[:2] + index_owner[app2 : app2 + 2 + length] + primary[2:] + second
    assert refused(data) == [
        "This JPEG is made of more than 32 scans; photos have about ten. Save it again and "
        "upload the copy."
    ]


def test_an_animated_gif_keeps_its_frames_durations_and_loop_without_its_comment():
    frames = [Image.new("RGB", (30, 30), colour) for colour in ("red", "green", "blue")]
    data = encode(
        frames[0],
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        comment=b"made at home",
    )
    result = checked_image(upload(data, name="wave.gif"))
    result.seek(0)
    assert b"made at home" not in result.read()
    image = reopen(result)
    assert image.format == "GIF" and image.n_frames == 3
    assert image.info["loop"] == 0
    seen = [(f.convert("RGB").getpixel((15, 15)), f.info["duration"]) for f in _frames(image)]
    assert seen == [((255, 0, 0), 100), ((0, 128, 0), 200), ((0, 0, 255), 300)]


def test_an_animated_webp_keeps_its_frames():
    frames = [Image.new("RGB", (30, 30), colour) for colour in ("red", "blue")]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=150)
    image = reopen(checked_image(upload(data, name="wave.webp")))
    assert image.format == "WEBP" and image.n_frames == 2


def _frames(image):
    return [frame.copy() for frame in ImageSequence.Iterator(image)]


# --- the form field ----------------------------------------------------------------------


class AvatarForm(forms.Form):
    image = ImageUploadField()


def test_the_form_field_offers_the_accepted_types_to_the_browser():
    html = str(AvatarForm()["image"])
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in html


def test_the_form_field_returns_the_checked_image():
    data = encode(two_colour(), "PNG")
    form = AvatarForm(files={"image": upload(data, name="me.png")})
    assert form.is_valid(), form.errors
    cleaned = form.cleaned_data["image"]
    assert isinstance(cleaned, ContentFile) and cleaned.name.endswith(".png")


def test_the_form_field_shows_the_refusal_on_the_field():
    form = AvatarForm(files={"image": upload(b"<svg/>", name="me.svg")})
    assert not form.is_valid()
    assert form.errors["image"] == ["This file is not a JPEG, PNG, WebP or GIF image."]


def test_the_form_field_keeps_an_existing_file_without_rechecking_it():
    field = ImageUploadField(required=False)
    initial = "avatars/already-checked.png"
    assert field.clean(None, initial) == initial


# --- the Wagtail admin -------------------------------------------------------------------


def gps_jpeg():
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS_IFD)[1] = "N"
    exif.get_ifd(GPS_IFD)[2] = (51.0, 30.0, 0.0)
    return encode(two_colour((40, 20)), "JPEG", exif=exif, xmp=XMP)


def stored_bytes(image):
    with image.file.open("rb") as file:
        return file.read()


@pytest.mark.django_db
def test_an_image_uploaded_in_the_wagtail_admin_is_stored_without_exif(editor):
    from wagtail.images.models import Image as WagtailImage

    response = add_in_wagtail_admin(
        editor, "Press conference", upload(gps_jpeg(), name="IMG_0042.jpg")
    )
    assert response.status_code == 302, response.content[:2000]
    image = WagtailImage.objects.get(title="Press conference")
    data = stored_bytes(image)
    assert b"Exif" not in data and b"GPS" not in data and b"xmpmeta" not in data
    assert (image.width, image.height) == (20, 40)  # upright, and Wagtail knows it
    assert image.file_size == len(data)
    assert image.file.name.startswith("original_images/img_0042-")


@pytest.mark.django_db
def test_the_wagtail_multiple_uploader_strips_exif_and_refuses_damaged_files(editor):
    from django.urls import reverse

    from wagtail.images.models import Image as WagtailImage

    url = reverse("wagtailimages:add_multiple")
    response = editor.post(url, {"files[]": upload(gps_jpeg(), name="scene.jpg")})
    assert response.json()["success"] is True
    image = WagtailImage.objects.get()
    assert b"Exif" not in stored_bytes(image)

    half = noise_jpeg()[:3000]
    response = editor.post(url, {"files[]": upload(half, name="cut.jpg")})
    assert response.json()["success"] is False
    assert response.json()["error_message"] == "This image file is incomplete or damaged."
    assert WagtailImage.objects.count() == 1


@pytest.mark.django_db
def test_the_wagtail_admin_accepts_only_the_same_four_types(editor):
    from django.urls import reverse

    response = editor.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>", name="logo.svg")},
    )
    assert response.json()["success"] is False
    assert response.json()["error_message"] == "This file is not a JPEG, PNG, WebP or GIF image."
    assert (
        'accept="image/jpeg,image/png,image/webp,image/gif"'
        in editor.get(reverse("wagtailimages:add")).content.decode()
    )
