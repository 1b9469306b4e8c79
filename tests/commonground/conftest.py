"""A signed-in Wagtail editor, an image added through Wagtail's admin as they add it, and
a guard that no pixel is decoded."""

import pytest
from PIL import ImageFile

from django.urls import reverse

from wagtail.models import Collection


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def add_in_wagtail_admin(client, title, file):
    """POST Wagtail's image add form (/admin/images/add/) with `file`."""
    return client.post(
        reverse("wagtailimages:add"),
        {"title": title, "collection": Collection.get_first_root_node().pk, "file": file},
    )


@pytest.fixture
def no_decoding(monkeypatch):
    """Any attempt to decode pixels fails the test (and allocates nothing)."""

    def refuse_to_decode(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_to_decode)
