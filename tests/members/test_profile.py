"""The member's profile: editing it, the avatar, and the public page at /members/<handle>/."""

import io

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.crafted_images import FRAME_BOMB_REFUSAL, frame_bomb_upload
from tests.members.conftest import make_member

pytestmark = pytest.mark.django_db


def page_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def profile_data(**changes):
    data = {
        "display_name": "Jane Doe",
        "organisation": "Greater Manchester Police",
        "country": "GB",
        "role": "Digital lead",
        "bio": "I run our social media.",
    }
    data.update(changes)
    return data


def image_upload(size, image_format="JPEG", name="me.jpg", exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    options = {"exif": exif} if exif else {}
    image.save(buffer, image_format, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_the_profile_page_needs_a_signed_in_member(client):
    response = client.get(reverse("account_profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_editing_the_profile_saves_every_field(member_client, member):
    response = member_client.post(reverse("account_profile"), profile_data())

    assert response.status_code == 302
    member.profile.refresh_from_db()
    assert member.profile.organisation == "Greater Manchester Police"
    assert member.profile.country.code == "GB"
    assert member.profile.role == "Digital lead"
    assert member.profile.bio == "I run our social media."
    # The handle stays put when the name changes, so links keep working.
    member_client.post(reverse("account_profile"), profile_data(display_name="Jane Smith"))
    member.profile.refresh_from_db()
    assert (member.profile.display_name, member.profile.handle) == ("Jane Smith", "jane-doe")


def test_the_profile_form_names_the_photo_once_and_the_country_choice_plainly(
    member_client, member
):
    from tests.helpers import html, text

    soup = html(member_client.get(reverse("account_profile")))
    form = soup.select_one("form.account-form")
    assert form.get_text().count("Profile photo") == 1
    assert soup.find("legend", string="Profile photo") is not None
    assert text(soup.select_one("label[for=id_avatar]")) == "Choose a new photo (optional)"
    options = form.select("select[name=country] option")
    assert (options[0]["value"], options[0].get_text()) == ("", "Choose a country")
    assert "---" not in form.select_one("select[name=country]").get_text()
    assert [o["value"] for o in options].count("") == 1
    assert any(o["value"] == "GB" for o in options)


def test_an_error_keeps_what_was_typed(member_client, member):
    response = member_client.post(
        reverse("account_profile"),
        profile_data(display_name="Jane Typed", role="Typed role", bio="x" * 601),
    )

    page = page_of(response)
    assert page.find(id="id_display_name")["value"] == "Jane Typed"
    assert page.find(id="id_role")["value"] == "Typed role"
    assert page.find(id="id_bio").get_text().strip() == "x" * 601
    assert "id_bio_error" in page.find(id="id_bio")["aria-describedby"]
    assert page.find(id="id_bio_error").get_text(strip=True)
    member.profile.refresh_from_db()
    assert member.profile.display_name == "Jane Doe"


def test_the_avatar_is_checked_stripped_and_resized(member_client, member):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera make, must not survive
    upload = image_upload((1200, 800), exif=exif.tobytes())

    response = member_client.post(reverse("account_profile"), {**profile_data(), "avatar": upload})

    assert response.status_code == 302
    member.profile.refresh_from_db()
    with member.profile.avatar.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (256, 171)
        assert not image.getexif()
    assert member.profile.avatar.name.startswith("members/avatars/")


def test_a_file_that_is_not_an_image_is_refused_with_a_message(member_client, member):
    fake = SimpleUploadedFile("me.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")

    response = member_client.post(
        reverse("account_profile"), {**profile_data(role="Kept"), "avatar": fake}
    )

    page = page_of(response)
    assert page.find(id="id_avatar_error").get_text(strip=True)
    assert page.find(id="id_role")["value"] == "Kept"
    member.profile.refresh_from_db()
    assert not member.profile.avatar


def test_replacing_and_removing_the_avatar_deletes_the_old_file(member_client, member):
    url = reverse("account_profile")
    member_client.post(url, {**profile_data(), "avatar": image_upload((300, 300))})
    member.profile.refresh_from_db()
    first = member.profile.avatar
    storage, first_name = first.storage, first.name
    member_client.post(url, {**profile_data(), "avatar": image_upload((100, 100))})
    member.profile.refresh_from_db()
    second_name = member.profile.avatar.name

    assert not storage.exists(first_name)
    assert storage.exists(second_name)
    member_client.post(url, {**profile_data(), "remove_avatar": "on"})
    member.profile.refresh_from_db()
    assert not member.profile.avatar
    assert not storage.exists(second_name)


def test_the_public_profile_shows_the_profile_and_never_the_email(client, member, make_case):
    member.profile.organisation = "Greater Manchester Police"
    member.profile.role = "Digital lead"
    member.profile.bio = "I run our social media."
    member.profile.country = "GB"
    member.profile.avatar.save("a.png", image_upload((64, 64), "PNG", "a.png"))
    make_case(title="Her live case", contributor=member, contributed=True)

    for viewer in (client, None):
        if viewer is None:  # the member looking at their own page
            client.force_login(member)
        response = client.get(f"/members/{member.profile.handle}/")
        body = response.content.decode()
        page = page_of(response)
        assert "jane@example.org" not in body
        assert "jane@" not in body
        assert member.username not in body
        assert len(page.find_all("h1")) == 1
        assert page.h1.get_text(strip=True) == "Jane Doe"
        text = page.main.get_text(" ", strip=True)
        for value in ("Greater Manchester Police", "Digital lead", "United Kingdom", "social"):
            assert value in text
        assert page.find("img", class_="member__avatar")["alt"] == "Photo of Jane Doe"
        assert "Her live case" in text


def test_the_public_profile_lists_only_published_contributions_newest_first(
    client, member, make_case
):
    other = make_member("other@example.org", "Other Person")
    make_case(title="Older published", contributor=member, contributed=True)
    make_case(title="Newer published", contributor=member, contributed=True)
    make_case(title="A draft of hers", contributor=member, contributed=True, live=False)
    make_case(title="Someone else's", contributor=other, contributed=True)
    make_case(title="Not contributed")

    page = page_of(client.get(member.profile.get_absolute_url()))
    titles = [a.get_text(strip=True) for a in page.select(".case-card__title a")]

    assert titles == ["Newer published", "Older published"]


def test_the_public_profile_runs_a_fixed_number_of_queries(client, member, make_case):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(member.profile.get_absolute_url()).status_code == 200
        return len(context.captured_queries)

    make_case(contributor=member, contributed=True, themes=["recruitment"])
    queries()  # the site's root paths are cached on the first request
    few = queries()
    for _ in range(8):
        make_case(
            contributor=member, contributed=True, themes=["recruitment", "crisis-communication"]
        )
    assert queries() == few


def test_the_public_profile_paginates(client, member, make_case):
    for _ in range(21):
        make_case(contributor=member, contributed=True)

    first = page_of(client.get(member.profile.get_absolute_url()))
    second = page_of(client.get(member.profile.get_absolute_url() + "?page=2"))

    assert len(first.select(".case-card")) == 20
    assert len(second.select(".case-card")) == 1
    assert first.select_one(".pagination a[rel=next]")


def test_markup_in_the_profile_is_shown_as_text(client, member):
    member.profile.display_name = "<script>alert('name')</script>"
    member.profile.organisation = "<b>Org</b>"
    member.profile.role = '<img src=x onerror="alert(1)">'
    member.profile.bio = "<a href='javascript:alert(2)'>click</a>"
    member.profile.save()

    response = client.get(member.profile.get_absolute_url())
    body = response.content.decode()
    page = page_of(response)

    assert "<script>alert" not in body
    assert "<b>Org</b>" not in body
    assert "<img src=x" not in body
    assert "<a href='javascript" not in body
    assert page.h1.get_text() == "<script>alert('name')</script>"
    assert "<b>Org</b>" in page.main.get_text()
    assert not page.main.find("script")
    assert not page.main.find("a", href="javascript:alert(2)")


def test_an_unknown_handle_is_a_404(client, member):
    assert client.get("/members/nobody-here/").status_code == 404


def test_name_organisation_and_role_are_stored_on_one_line(member_client, member):
    response = member_client.post(
        reverse("account_profile"),
        profile_data(
            display_name="Jane\r\nBcc: victim@example.org\u2028Doe\x00\u202e",
            organisation="Greater\tManchester\nPolice\u200b",
            role="Digital\x0blead\x1b[31m",
        ),
    )

    assert response.status_code == 302
    member.profile.refresh_from_db()
    assert member.profile.display_name == "Jane Bcc: victim@example.org Doe"
    assert member.profile.organisation == "Greater Manchester Police"
    assert member.profile.role == "Digital lead[31m"


@pytest.mark.parametrize("name", ["\r\n\t", "\u2028\x00", "\u200b\u202e"])
def test_a_name_of_only_invisible_characters_is_refused(member_client, member, name):
    response = member_client.post(reverse("account_profile"), profile_data(display_name=name))

    page = page_of(response)
    assert "required" in page.find(id="id_display_name_error").get_text()
    member.profile.refresh_from_db()
    assert member.profile.display_name == "Jane Doe"


def test_the_bio_keeps_its_lines(member_client, member):
    bio = "I run our social media.\r\n\r\nBefore that:\tpress office."

    member_client.post(reverse("account_profile"), profile_data(bio=bio))

    member.profile.refresh_from_db()
    assert member.profile.bio == bio


@pytest.mark.parametrize("bio", ["Clear\x1b[2Jscreen", "Null\x00byte", "Bell\x07", "Next\x85line"])
def test_a_bio_with_control_characters_is_refused_and_kept_in_the_form(member_client, member, bio):
    response = member_client.post(
        reverse("account_profile"), profile_data(bio=bio, role="Typed role")
    )

    page = page_of(response)
    assert page.find(id="id_bio_error").get_text(strip=True)
    assert page.find(id="id_role")["value"] == "Typed role"
    member.profile.refresh_from_db()
    assert member.profile.bio == ""
    assert member.profile.role == ""


def test_a_gif_frame_bomb_avatar_is_refused_and_nothing_stored(member_client, member):
    response = member_client.post(
        reverse("account_profile"),
        {**profile_data(role="Kept"), "avatar": frame_bomb_upload()},
    )

    page = page_of(response)
    assert page.find(id="id_avatar_error").get_text(strip=True) == FRAME_BOMB_REFUSAL
    assert page.find(id="id_role")["value"] == "Kept"
    member.profile.refresh_from_db()
    assert not member.profile.avatar


def test_avatar_checks_past_the_hourly_number_are_refused_keeping_the_form(
    member_client, member, settings
):
    settings.IMAGE_CHECKS_PER_HOUR = 2
    url = reverse("account_profile")
    for side in (100, 120):
        response = member_client.post(
            url, {**profile_data(), "avatar": image_upload((side, side))}
        )
        assert response.status_code == 302
    member.profile.refresh_from_db()
    kept = member.profile.avatar.name

    response = member_client.post(
        url, {**profile_data(role="Typed role"), "avatar": image_upload((140, 140))}
    )

    page = page_of(response)
    assert page.find(id="id_avatar_error").get_text(strip=True) == (
        "You have uploaded 2 images in the last hour, the most we check in an hour. Everything "
        "else you typed is kept; please choose this image again in an hour."
    )
    assert page.find(id="id_role")["value"] == "Typed role"
    member.profile.refresh_from_db()
    assert member.profile.avatar.name == kept
