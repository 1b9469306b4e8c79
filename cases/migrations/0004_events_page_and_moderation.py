"""Creates /events/ and lets the Moderators group (Wagtail's own) add, edit and publish in
the library and the events."""

import uuid

from django.db import migrations

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def _base36(n):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"


def create(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("commonground.HomePage")
    CaseIndexPage = apps.get_model("cases.CaseIndexPage")
    EventIndexPage = apps.get_model("cases.EventIndexPage")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
                
    home = HomePage.objects.get(depth=2)
    last_child = Page.objects.filter(path__startswith=home.path, depth=3).order_by("-path").first()
    step = int(last_child.path[-4:], 36) + 1 if last_child else 1
    events = EventIndexPage.objects.create(
        title="Events",
        draft_title="Events",
        slug="events",
        content_type=ContentType.objects.get_for_model(EventIndexPage),
        path=home.path + _base36(step).rjust(4, "0"),
        depth=3,
        numchild=0,
        url_path="/home/events/",
        locale_id=home.locale_id,
        translation_key=uuid.uuid4(),
        live=True,
        intro=(
            "<p>Conferences where people who run police social media share what they "
            "learned, with write-ups of their talks.</p>"
        ),
    )
    Page.objects.filter(pk=home.pk).update(
        numchild=Page.objects.filter(path__startswith=home.path, depth=3).count()
    )

    moderators, _ = Group.objects.get_or_create(name="Moderators")
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    moderators.permissions.add(access_admin)
    library = CaseIndexPage.objects.get()
    for page in (library, events):
        for codename in PAGE_PERMISSIONS:
            permission, _ = Permission.objects.get_or_create(
                content_type=page_type, codename=codename, defaults={"name": codename}
            )
            GroupPagePermission.objects.get_or_create(
                group=moderators, page_id=page.pk, permission=permission
            )



def remove(apps, schema_editor):
    apps.get_model("cases.EventIndexPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_events_and_contributors"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create, remove)]
