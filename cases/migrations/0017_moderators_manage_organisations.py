"""Moderators see, correct and merge organisations in the admin: the organisations that
contributors propose are theirs to tidy (cases/organisations.py)."""

from django.db import migrations

CODENAMES = ["view_organisation", "change_organisation", "delete_organisation"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    content_type, _ = ContentType.objects.get_or_create(app_label="cases", model="organisation")
    for codename in CODENAMES:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename}
        )
        moderators.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None:
        moderators.permissions.remove(
            *moderators.permissions.filter(
                content_type__app_label="cases", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_moderation_record_withdrawn"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
