"""The Wagtail admin offers no Documents: no page can show one."""

import pytest

from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupCollectionPermission

pytestmark = pytest.mark.django_db


def test_no_group_may_upload_documents():
    documents = Permission.objects.filter(content_type__app_label="wagtaildocs")
    assert documents.exists()
    assert not GroupCollectionPermission.objects.filter(permission__in=documents).exists()
    assert not Group.objects.filter(permissions__in=documents).exists()


def test_the_admin_menu_has_no_documents(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-12345678")
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b'"name": "images"' in response.content or b"/admin/images/" in response.content
    assert b"/admin/documents/" not in response.content


def test_the_admin_sends_nobody_to_gravatar(client, django_user_model):
    """Avatars would send a hash of each staff member's address to a third party."""
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-12345678")
    client.force_login(admin)
    for path in ["/admin/", "/admin/users/"]:
        response = client.get(path)
        assert response.status_code == 200
        assert b"gravatar" not in response.content.lower(), path
