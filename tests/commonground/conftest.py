"""A signed-in Wagtail editor, and an image added through Wagtail's admin as they add it."""

import pytest

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
