"""Upload bombs: files whose few bytes ask the decoder for far more work or memory than
their size suggests. checked_image() reads their structure first (image_structure.py) and
refuses them before decoding; the files are built here byte by byte (tests/crafted_images.py).
The member profile and contribution forms are proven in tests/members and tests/contribute."""

import io
import zlib

import pytest
from PIL import Image

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.images import get_image_model

from commonground.image_structure import (
    MAX_FRAMES,
    MAX_GIF_SUB_BLOCKS,
    MAX_JPEG_SCANS,
    MAX_JPEG_SEGMENTS,
    MAX_PNG_CHUNKS,
    MAX_PNG_COMPRESSED_CHUNKS,
)
from commonground.uploads import ANIMATED_PNG, checked_image
from tests.commonground.conftest import add_in_wagtail_admin
from tests.crafted_images import (
    FRAME_BOMB_REFUSAL,
    Frame,
    animated_webp,
    apng,
    frame_bomb_upload,
    gif,
    png_chunk,
    png_with_chunks,
    progressive_jpeg,
    sub_blocks,
)

TOO_MANY_FRAMES = "This animation has more than 1,000 frames; animations can have at most 1,000."
SCREEN = Frame(0, 0, 100, 100)


def refused(data, name="upload.gif"):
    with pytest.raises(ValidationError) as caught:
        checked_image(SimpleUploadedFile(name, data))
    return caught.value.messages


def stored(data, name="upload.gif"):
    result = checked_image(SimpleUploadedFile(name, data))
    result.seek(0)
    return Image.open(io.BytesIO(result.read()))


# --- GIF ---------------------------------------------------------------------------------


def test_the_reported_gif_bomb_is_refused_without_decoding_a_pixel(no_decoding):
    # The attack review's file: a 100 × 100 screen whose second frame says 13,000 × 13,000
    # (Pillow enlarged the canvas to 169 megapixels: 3.5 GB and 9 s, then accepted it).
    bomb = gif((100, 100), [SCREEN, Frame(0, 0, 13_000, 13_000, colour=2)])
    assert len(bomb) < 150_000
    assert refused(bomb) == [
        "Frame 2 of this GIF (13,000 × 13,000 at 0, 0) does not fit inside the image (100 × 100)."
    ]


def test_a_gif_frame_larger_than_the_image_is_refused():
    data = gif((100, 100), [SCREEN, Frame(0, 0, 400, 300, colour=2)])
    assert refused(data) == [
        "Frame 2 of this GIF (400 × 300 at 0, 0) does not fit inside the image (100 × 100)."
    ]


def test_a_gif_frame_outside_the_image_is_refused():
    data = gif((10, 10), [Frame(0, 0, 10, 10), Frame(20, 20, 10, 10, colour=3)])
    assert refused(data) == [
        "Frame 2 of this GIF (10 × 10 at 20, 20) does not fit inside the image (10 × 10)."
    ]


def test_a_gif_whose_only_frame_overflows_the_screen_is_refused():
    data = gif((10, 10), [Frame(5, 0, 10, 10)])
    assert refused(data) == [
        "Frame 1 of this GIF (10 × 10 at 5, 0) does not fit inside the image (10 × 10)."
    ]


def test_a_gif_with_more_frames_than_the_cap_is_refused(no_decoding):
    # 200,000 frames of 1 × 1 cost the worker 16 s of CPU and 0.8 GB.
    data = gif((1, 1), [Frame(0, 0, 1, 1, colour=n % 3) for n in range(MAX_FRAMES + 1)])
    assert refused(data) == [TOO_MANY_FRAMES]


def test_a_gif_with_as_many_frames_as_the_cap_keeps_them_all():
    frames = [Frame(0, 0, 2, 2, colour=1 + n % 3) for n in range(MAX_FRAMES)]
    image = stored(gif((2, 2), frames))
    assert image.n_frames == MAX_FRAMES


def test_frames_after_a_stray_byte_are_never_decoded():
    # Pillow skips bytes that start no block and reads on; browsers stop there. The check
    # stops there too and gives the decoder only what it counted.
    visible = gif((10, 10), [Frame(0, 0, 10, 10)])[:-1]  # without the trailer
    hidden = gif((10, 10), [Frame(0, 0, 400, 400, colour=2)])
    hidden_frame = hidden[hidden.index(b"!\xf9") : -1]
    image = stored(visible + b"\x00" + hidden_frame + b";")
    assert image.size == (10, 10)
    assert getattr(image, "n_frames", 1) == 1


def test_a_gif_split_into_too_many_sub_blocks_is_refused(no_decoding):
    comment = b"!\xfe" + sub_blocks(b"x" * (MAX_GIF_SUB_BLOCKS + 1), size=1)
    data = gif((10, 10), [Frame(0, 0, 10, 10)])
    data = data[:-1] + comment + b";"
    assert refused(data) == [
        "This GIF is split into more than 100,000 blocks of data, which no usual program "
        "writes; save it again and upload the copy."
    ]


def test_a_gif_with_no_image_is_damaged():
    assert refused(gif((10, 10), [])) == ["This image file is incomplete or damaged."]


def test_identical_gif_frames_longer_together_than_a_gif_can_store_are_refused():
    # The GIF encoder merges them and adds their delays, past the format's 655.35 s.
    data = gif((4, 4), [Frame(0, 0, 4, 4), Frame(0, 0, 4, 4)], delay=65_535)
    assert refused(data) == [
        "This animation shows one picture for longer than its format can store (a GIF: "
        "about 11 minutes); shorten its longest frame delay."
    ]


# --- animated PNG ------------------------------------------------------------------------


def test_an_apng_frame_outside_the_canvas_is_refused_with_its_place():
    data = apng((10, 10), [Frame(0, 0, 10, 10), Frame(8, 8, 5, 5, colour=2)])
    assert refused(data, "anim.png") == [
        "Frame 2 of this PNG (5 × 5 at 8, 8) does not fit inside the image (10 × 10)."
    ]


def test_an_apng_with_more_frames_than_the_cap_is_refused(no_decoding):
    data = apng((1, 1), [Frame(0, 0, 1, 1, colour=n % 4) for n in range(MAX_FRAMES + 1)])
    assert refused(data, "anim.png") == [TOO_MANY_FRAMES]


def test_an_apng_declaring_more_frames_than_the_cap_is_refused(no_decoding):
    data = apng((4, 4), [Frame(0, 0, 4, 4), Frame(0, 0, 4, 4, colour=2)], declared=2**30)
    assert refused(data, "anim.png") == [TOO_MANY_FRAMES]


def test_an_animated_png_is_refused_with_what_to_do_instead():
    """Wagtail's image library cannot open an animated PNG: storing one made every page
    that shows it fail (a 500)."""
    frames = [Frame(0, 0, 6, 6, colour=1), Frame(2, 2, 2, 2, colour=3)]
    assert refused(apng((6, 6), frames), "anim.png") == [ANIMATED_PNG]


@pytest.mark.django_db
def test_an_animated_png_contribution_image_is_refused_not_a_500(client, django_user_model):
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user("ana", "ana@example.org", "pw-12345678x")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    frames = [Frame(0, 0, 6, 6, colour=1), Frame(2, 2, 2, 2, colour=3)]
    response = client.post(
        "/contribute/",
        {"title": "A case", "hero_file": SimpleUploadedFile("a.png", apng((6, 6), frames))},
    )
    assert response.status_code == 200
    assert str(ANIMATED_PNG) in response.content.decode()


# --- PNG metadata chunks -----------------------------------------------------------------


def ztxt(keyword, text):
    return png_chunk(b"zTXt", keyword + b"\x00\x00" + zlib.compress(text, 9))


def test_a_png_with_more_compressed_chunks_than_the_cap_is_refused(no_decoding):
    # Pillow inflates each to 1 MB: 9,000 colour profiles of zeros cost 46 s, and iTXt
    # that is not UTF-8 is never counted against its text limit (82 s).
    megabyte = zlib.compress(b"\x00" * (1024 * 1024 - 1), 9)
    chunks = [png_chunk(b"iCCP", b"icc\x00\x00" + megabyte)]
    chunks += [png_chunk(b"iTXt", b"k\x00\x01\x00\x00\x00" + megabyte)] * 8
    chunks += [ztxt(b"Comment", b"a" * 100)] * (MAX_PNG_COMPRESSED_CHUNKS - 8)
    assert len(chunks) == MAX_PNG_COMPRESSED_CHUNKS + 1
    assert refused(png_with_chunks(b"".join(chunks)), "shot.png") == [
        "This PNG holds more than 16 compressed text or colour profile chunks; save it again "
        "without its metadata."
    ]


def test_a_png_with_as_many_compressed_chunks_as_the_cap_is_accepted_without_them():
    chunks = b"".join([ztxt(b"Comment", b"12 Home Road")] * MAX_PNG_COMPRESSED_CHUNKS)
    result = checked_image(SimpleUploadedFile("shot.png", png_with_chunks(chunks)))
    result.seek(0)
    assert b"zTXt" not in result.read()


def test_a_png_split_into_too_many_chunks_is_refused(no_decoding):
    data = png_with_chunks(png_chunk(b"prVt", b"") * MAX_PNG_CHUNKS)
    assert refused(data, "shot.png") == [
        "This PNG is split into more than 50,000 chunks, which no usual program writes; "
        "save it again and upload the copy."
    ]


# --- animated WebP -----------------------------------------------------------------------


def test_a_webp_with_more_frames_than_the_cap_is_refused(no_decoding):
    frames = [Frame(0, 0, 1, 1, colour=1 + n % 3) for n in range(MAX_FRAMES + 1)]
    assert refused(animated_webp((1, 1), frames), "anim.webp") == [TOO_MANY_FRAMES]


@pytest.mark.parametrize(
    "frame", [Frame(0, 0, 40, 40, colour=2), Frame(20, 20, 4, 4, colour=2)], ids=str
)
def test_a_webp_frame_outside_its_canvas_is_refused_by_libwebp(frame):
    # libwebp's demuxer refuses such a file outright; this keeps that proven.
    data = animated_webp((10, 10), [Frame(0, 0, 10, 10), frame])
    assert refused(data, "anim.webp") == ["This image file is incomplete or damaged."]


# --- progressive JPEG --------------------------------------------------------------------


def test_a_jpeg_with_more_scans_than_the_cap_is_refused(no_decoding):
    # Every scan is decoded over the whole image: 2,000 scans of 16 megapixels in 200 KB
    # took a minute.
    data = progressive_jpeg((64, 64), scans=MAX_JPEG_SCANS + 1)
    assert data.count(b"\xff\xda") == 33
    assert refused(data, "photo.jpg") == [
        "This JPEG is made of more than 32 scans; photos have about ten. Save it again and "
        "upload the copy."
    ]


def test_a_jpeg_with_as_many_scans_as_the_cap_is_accepted():
    image = stored(progressive_jpeg((64, 64), scans=MAX_JPEG_SCANS), "photo.jpg")
    assert image.format == "JPEG" and image.size == (64, 64)


def jpeg_with_comments(count):
    """A small JPEG with `count` empty comment segments after its SOI."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "JPEG")
    data = out.getvalue()
    return data[:2] + b"\xff\xfe\x00\x02" * count + data[2:]


def test_a_jpeg_split_into_more_segments_than_the_cap_is_refused(no_decoding):
    # 2.6 million empty comments in 10 MB cost Pillow 4.5 s and 185 MB before decoding.
    assert refused(jpeg_with_comments(MAX_JPEG_SEGMENTS), "photo.jpg") == [
        "This JPEG is split into more than 1,000 segments, which no camera or editor writes. "
        "Save it again and upload the copy."
    ]


def test_a_jpeg_with_a_few_hundred_segments_is_accepted():
    image = stored(jpeg_with_comments(MAX_JPEG_SEGMENTS // 2), "photo.jpg")
    assert image.format == "JPEG" and image.size == (8, 8)


# --- the Wagtail admin -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_wagtail_admin_add_view_refuses_a_frame_bomb(editor):
    response = add_in_wagtail_admin(editor, "Bomb", frame_bomb_upload())
    assert response.status_code == 200
    assert FRAME_BOMB_REFUSAL in response.content.decode()
    assert not get_image_model().objects.exists()


@pytest.mark.django_db
def test_the_wagtail_multiple_uploader_refuses_a_frame_bomb(editor):
    response = editor.post(reverse("wagtailimages:add_multiple"), {"files[]": frame_bomb_upload()})
    assert response.json() == {"success": False, "error_message": FRAME_BOMB_REFUSAL}
    assert not get_image_model().objects.exists()


def account_settings(avatar):
    """What Wagtail's account page posts (every panel's form), with a new profile picture."""
    return {
        "name_email-first_name": "Eda",
        "name_email-last_name": "Editor",
        "name_email-email": "editor@example.org",
        "avatar-avatar": avatar,
        "locale-preferred_language": "en-gb",
        "locale-current_time_zone": "",
        "theme-theme": "system",
        "theme-density": "default",
        "theme-contrast": "system",
    }


@pytest.mark.django_db
def test_the_wagtail_account_picture_is_checked_and_stored_without_exif(editor):
    from wagtail.users.models import UserProfile

    from tests.commonground.test_uploads import gps_jpeg

    photo = SimpleUploadedFile("me.jpg", gps_jpeg(), content_type="image/jpeg")
    response = editor.post(reverse("wagtailadmin_account"), account_settings(photo))
    assert response.status_code == 302
    profile = UserProfile.objects.get(user__username="editor")
    with profile.avatar.open("rb") as file:
        data = file.read()
    assert b"Exif" not in data and b"GPS" not in data and b"xmpmeta" not in data
    assert Image.open(io.BytesIO(data)).size == (20, 40)  # turned upright


@pytest.mark.django_db
def test_the_wagtail_account_picture_refuses_a_frame_bomb(editor):
    from wagtail.users.models import UserProfile

    response = editor.post(reverse("wagtailadmin_account"), account_settings(frame_bomb_upload()))
    assert response.status_code == 200
    assert FRAME_BOMB_REFUSAL in response.content.decode()
    assert not UserProfile.objects.filter(user__username="editor").exclude(avatar="").exists()


@pytest.mark.django_db
def test_the_wagtail_account_page_keeps_names_on_one_line_and_never_changes_the_email(editor):
    """Wagtail's account page changed the address unverified, and stored names as typed."""
    settings_posted = {
        **account_settings(""),
        "name_email-first_name": "Mod\u202e\r\nBcc: evil@example.com",
        "name_email-email": "someone.else@example.org",
    }
    response = editor.post(reverse("wagtailadmin_account"), settings_posted)
    assert response.status_code == 302
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="editor")
    assert user.first_name == "Mod Bcc: evil@example.com"
    assert user.email != "someone.else@example.org"
    page = editor.get(reverse("wagtailadmin_account")).content.decode()
    assert 'name="name_email-email"' not in page
