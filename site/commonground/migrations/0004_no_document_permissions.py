"""Groups lose the document permissions Wagtail's own migrations gave Editors and
Moderators: no page can show a document, so nobody but a superuser may upload one."""

from django.db import migrations


def remove_document_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    documents = Permission.objects.filter(content_type__app_label="wagtaildocs")
    GroupCollectionPermission.objects.filter(permission__in=documents).delete()
    for group in apps.get_model("auth", "Group").objects.all():
        group.permissions.remove(*documents)


class Migration(migrations.Migration):
    dependencies = [
        ("commonground", "0003_single_line_blocks"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(remove_document_permissions, migrations.RunPython.noop)]
