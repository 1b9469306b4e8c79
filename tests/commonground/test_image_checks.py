"""The hourly number of image checks in the Wagtail admin (commonground/image_checks.py):
counted for people who are not superusers, refused with a message, nothing stored."""

import io

import pytest
from PIL import Image

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db

REFUSAL = (
    "You have uploaded 1 image in the last hour, the most we check in an hour. Everything "
    "else you typed is kept; please choose this image again in an hour."
)


def picture(name):
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def upload(client, name):
    return client.post(reverse("wagtailimages:add_multiple"), {"files[]": picture(name)}).json()


@pytest.fixture
def moderator_client(client, django_user_model):
    user = django_user_model.objects.create_user("mo", "mo@example.org", "pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(user)
    return client


def test_a_moderators_uploads_past_the_hourly_number_are_refused(moderator_client, settings):
    settings.ADMIN_IMAGE_CHECKS_PER_HOUR = 1
    assert upload(moderator_client, "one.png")["success"] is True
    assert upload(moderator_client, "two.png") == {"success": False, "error_message": REFUSAL}
    assert get_image_model().objects.count() == 1


def test_a_superuser_is_not_counted(editor, settings):
    settings.ADMIN_IMAGE_CHECKS_PER_HOUR = 1
    assert [upload(editor, f"{n}.png")["success"] for n in range(3)] == [True, True, True]
