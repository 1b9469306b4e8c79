"""Creates the page tree's skeleton: the home page (site root) and the About page."""

import uuid

from django.db import migrations

ABOUT_INTRO = (
    "Common Ground is a library of case studies and lessons learned by the people who run "
    "social media for police and law-enforcement organisations, in many countries."
)
ABOUT_BODY = [
    (
        "paragraph",
        "<p>Whether you work in Manchester, Massachusetts or Melbourne, the questions are the "
        "same: how do we plan what we post and show its impact, stay honest and engaging, feed "
        "the public's appetite for information, support officers who use social media, and keep "
        "to our digital principles in a crisis? Common Ground collects the answers colleagues "
        "have found, so you can learn from them in minutes.</p>",
    ),
    ("heading", {"text": "What a case study tells you", "level": "h2"}),
    (
        "paragraph",
        "<p>Every case names the organisation, country and date; the themes it touches; what "
        "worked, the challenges and advice; measured outcomes where there are any; and an honest "
        "verdict (worked, promising, mixed or did not work) with how that verdict is known, from "
        "anecdote to independent evaluation. Failures are published on purpose: they save others "
        "time.</p>",
    ),
    ("heading", {"text": "Dates", "level": "h2"}),
    (
        "paragraph",
        "<p>The date shown on a case is when the episode happened or was written up. Each case "
        "page also says when it was added to the library and when it was last updated.</p>",
    ),
]


def create_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("commonground.HomePage")
    StandardPage = apps.get_model("commonground.StandardPage")

    # wagtailcore's own migrations create a default "Welcome" page; the site needs its own.
    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
    locale = Locale.objects.order_by("pk").first()
    root = Page.objects.get(depth=1)

    home = HomePage.objects.create(
        title="Common Ground",
        draft_title="Common Ground",
        seo_title="Common Ground: police social media case studies from around the world",
        slug="home",
        content_type=ContentType.objects.get_for_model(HomePage),
        path=root.path + "0001",
        depth=2,
        numchild=1,
        url_path="/home/",
        locale=locale,
        translation_key=uuid.uuid4(),
        live=True,
        intro=(
            "<p>Case studies and lessons learned from the people who run social media for "
            "police and law-enforcement organisations around the world: what they planned, "
            "what worked, what did not, and how they know.</p>"
        ),
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Common Ground"},
    )
    StandardPage.objects.create(
        title="About Common Ground",
        draft_title="About Common Ground",
        slug="about",
        content_type=ContentType.objects.get_for_model(StandardPage),
        path=home.path + "0001",
        depth=3,
        numchild=0,
        url_path="/home/about/",
        locale=locale,
        translation_key=uuid.uuid4(),
        live=True,
        intro=ABOUT_INTRO,
        body=[
            {"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in ABOUT_BODY
        ],
    )


def remove_pages(apps, schema_editor):
    apps.get_model("commonground.HomePage").objects.filter(depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("commonground", "0001_initial")]
    operations = [migrations.RunPython(create_pages, remove_pages)]
