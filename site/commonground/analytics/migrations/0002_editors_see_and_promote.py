"""Editors and moderators see what people look for and promote cases for a query."""

from django.db import migrations

GRANTS = [
    ("analytics", "searchcount", "view_search_analytics"),
    ("wagtailsearchpromotions", "searchpromotion", "add_searchpromotion"),
    ("wagtailsearchpromotions", "searchpromotion", "change_searchpromotion"),
    ("wagtailsearchpromotions", "searchpromotion", "delete_searchpromotion"),
]
GROUPS = ["Editors", "Moderators"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    permissions = []
    for app_label, model, codename in GRANTS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename}
        )
        permissions.append(permission)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_label, _, codename in GRANTS:
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ):
            for group in Group.objects.filter(name__in=GROUPS):
                group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_daily_counts"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
