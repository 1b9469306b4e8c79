"""Creates the site's twelve themes and the library page at /cases/."""

import uuid

from django.db import migrations

THEMES = [
    ("Planning and strategy", "planning-and-strategy",
     "Knowing what you are doing on social media and why: goals, audiences, channels and a plan to match."),
    ("Evaluation and impact", "evaluation-and-impact",
     "Showing what your social media achieved, with measures chosen before you start, not after."),
    ("Crisis communication", "crisis-communication",
     "Informing and reassuring the public when a major incident, manhunt or disaster is unfolding."),
    ("Honesty and transparency", "honesty-and-transparency",
     "Telling the truth quickly, admitting mistakes and explaining decisions, even when it is uncomfortable."),
    ("Engagement and content", "engagement-and-content",
     "Posts people want to read and answer: tone, humour, stories, video and two-way conversation."),
    ("Information sharing and appeals", "information-sharing-and-appeals",
     "Asking the public for help with witnesses, images and missing people, and sharing what they need to know."),
    ("Data and insight", "data-and-insight",
     "Capturing, analysing and using the data social media produces to understand audiences and issues."),
    ("Officer support and training", "officer-support-and-training",
     "Equipping officers and staff to use social media well: training, guidance, permissions and backing."),
    ("Digital principles and policy", "digital-principles-and-policy",
     "The rules and values that guide what an organisation posts, including when it is under pressure."),
    ("Wellbeing and resilience", "wellbeing-and-resilience",
     "Looking after the people who run accounts and face abuse, trauma and long shifts online."),
    ("Recruitment", "recruitment",
     "Using social media to attract and inform the next generation of officers, staff and volunteers."),
    ("Community relations", "community-relations",
     "Building trust with neighbourhoods and communities through everyday, local conversation online."),
]


def create(apps, schema_editor):
    Theme = apps.get_model("cases.Theme")
    for name, slug, description in THEMES:
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "description": description})

    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("commonground.HomePage")
    CaseIndexPage = apps.get_model("cases.CaseIndexPage")
    Page = apps.get_model("wagtailcore.Page")
    home = HomePage.objects.get(depth=2)
    last_child = Page.objects.filter(path__startswith=home.path, depth=3).order_by("-path").first()
    step = int(last_child.path[-4:], 36) + 1 if last_child else 1
    CaseIndexPage.objects.create(
        title="Case library",
        draft_title="Case library",
        slug="cases",
        content_type=ContentType.objects.get_for_model(CaseIndexPage),
        path=home.path + _base36(step).rjust(4, "0"),
        depth=3,
        numchild=0,
        url_path="/home/cases/",
        locale_id=home.locale_id,
        translation_key=uuid.uuid4(),
        live=True,
        intro=(
            "<p>Every case study in Common Ground. Narrow them down by theme, country, "
            "organisation, platform, year, language or result.</p>"
        ),
    )
    Page.objects.filter(pk=home.pk).update(numchild=Page.objects.filter(
        path__startswith=home.path, depth=3).count())


def _base36(n):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"


def remove(apps, schema_editor):
    apps.get_model("cases.CaseIndexPage").objects.all().delete()
    apps.get_model("cases.Theme").objects.filter(slug__in=[s for _, s, _ in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("commonground", "0002_create_site_pages")]
    operations = [migrations.RunPython(create, remove)]
