"""The member's language is the one language setting; Wagtail's preferred language is its
copy (commonground/languages.py). Until now the admin's account page changed only the
copy: a member with no language of their own takes it, if it is one of the site's, and
every copy is then made to match its member's language."""

from django.conf import settings
from django.db import migrations

# As commonground/languages.py has them today, so that later changes there leave this alone.
SITE = [code for code, _name in settings.LANGUAGES]  # en-gb, nl, fr, de, es
ADMIN = {"en-gb": "en", "nl": "nl", "fr": "fr", "de": "de", "es": "es"}  # Wagtail's codes


def supported(code):
    code = (code or "").lower()
    if code in SITE:
        return code
    return next((site for site in SITE if site.split("-")[0] == code.split("-")[0]), None)


def admin_language(code):
    return ADMIN.get(code, "")


def one_setting(apps, schema_editor):
    MemberProfile = apps.get_model("members", "MemberProfile")
    UserProfile = apps.get_model("wagtailusers", "UserProfile")
    members = {member.user_id: member for member in MemberProfile.objects.all()}
    for wagtail_profile in UserProfile.objects.all():
        member = members.get(wagtail_profile.user_id)
        if member is None:
            continue
        if not member.language and supported(wagtail_profile.preferred_language):
            member.language = supported(wagtail_profile.preferred_language)
            member.save(update_fields=["language"])
        if member.language and wagtail_profile.preferred_language != admin_language(
            member.language
        ):
            wagtail_profile.preferred_language = admin_language(member.language)
            wagtail_profile.save(update_fields=["preferred_language"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_memberprofile_language"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
    ]

    operations = [migrations.RunPython(one_setting, migrations.RunPython.noop)]
