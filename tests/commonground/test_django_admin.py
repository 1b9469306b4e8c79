"""The Django admin (/django-admin/) takes no file uploads: an image uploaded there would
skip checked_image() and keep its GPS location. Wagtail's images and documents are managed
in Wagtail's admin only."""

import pytest

from django.contrib import admin
from django.db import models

from tests.commonground.test_uploads import gps_jpeg, upload


def models_in_the_django_admin():
    for model, model_admin in admin.site._registry.items():
        yield model
        yield from (inline.model for inline in model_admin.inlines)


def test_no_model_in_the_django_admin_has_a_file_field():
    with_files = sorted(
        f"{model._meta.label}.{field.name}"
        for model in models_in_the_django_admin()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    )
    assert with_files == []
    assert admin.site._registry  # the admin itself is still there (accounts, sign-ins)


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["wagtailimages/image", "wagtaildocs/document"])
def test_the_django_admin_add_pages_for_images_and_documents_are_gone(client, model):
    from django.contrib.auth import get_user_model

    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(superuser)
    url = f"/django-admin/{model}/add/"
    assert client.get(url).status_code == 404
    response = client.post(url, {"title": "Home", "file": upload(gps_jpeg(), "home.jpg")})
    assert response.status_code == 404
    assert not get_image_model().objects.exists()
    assert not get_document_model().objects.exists()
    assert client.get("/django-admin/auth/user/").status_code == 200
