"""What contributions leave behind is removed once nothing uses it: pending uploads after a
day (manage.py clean_contributions), images and organisations a draft drops or takes with
it when deleted. Nothing a page, a revision or an editor uses is ever removed."""

import io
from datetime import timedelta

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.log_actions import log

from cases.models import CaseStudyPage, Organisation
from tests.contribute.conftest import photo
from tests.helpers import html

NEW = "/contribute/"


def post(client, data, url=NEW, action="save", **files):
    return client.post(url, {**data, **files, "action": action})


def stored(image) -> bool:
    return image.file.storage.exists(image.file.name)


def age(image, days=2):
    from cases.models import ContributionUpload

    then = timezone.now() - timedelta(days=days)
    ContributionUpload.objects.filter(image=image).update(created_at=then)


def clean(capture) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("clean_contributions", stdout=out)
    return out.getvalue()


def pending_image(client, data, **extra):
    """An image stored by a form that had an error elsewhere (no title)."""
    html(post(client, {**data, "title": "", "hero_alt": "x", **extra}, hero_file=photo()))
    return get_image_model().objects.latest("pk")


def test_pending_uploads_older_than_a_day_go_with_their_files_and_renditions(
    member_client, contribution_data, django_capture_on_commit_callbacks
):
    old = pending_image(member_client, contribution_data)
    rendition = old.get_rendition("max-100x100")
    young = pending_image(member_client, contribution_data)
    post(member_client, {**contribution_data, "hero_alt": "Saved"}, hero_file=photo())
    saved = get_image_model().objects.latest("pk")
    for image in (old, saved):
        age(image)
    assert stored(old) and stored(rendition)

    report = clean(django_capture_on_commit_callbacks)
    assert report.startswith("1 unused images deleted")
    assert set(get_image_model().objects.values_list("pk", flat=True)) == {young.pk, saved.pk}
    assert not stored(old)
    assert not stored(rendition)
    assert stored(young) and stored(saved)

    again = clean(django_capture_on_commit_callbacks)
    assert again.startswith("0 unused images deleted")
    assert get_image_model().objects.count() == 2


def test_an_upload_an_editor_chose_for_a_page_is_kept(
    member_client, contribution_data, make_case, django_capture_on_commit_callbacks
):
    as_hero = pending_image(member_client, contribution_data)
    in_a_draft = pending_image(member_client, contribution_data)
    case = make_case()
    case.hero_image, case.hero_alt = as_hero, "Chosen by an editor"
    case.save_revision().publish()
    # Only a draft revision names this one: no page row, no reference index entry.
    other = make_case()
    other.body = [("image", {"image": in_a_draft, "alt_text": "Figure", "caption": ""})]
    other.save_revision()
    for image in (as_hero, in_a_draft):
        age(image)

    clean(django_capture_on_commit_callbacks)
    assert get_image_model().objects.filter(pk__in=[as_hero.pk, in_a_draft.pk]).count() == 2
    assert stored(as_hero) and stored(in_a_draft)


def test_deleting_a_draft_deletes_the_images_and_organisation_only_it_named(
    member_client, member, contribution_data, django_capture_on_commit_callbacks
):
    data = {**contribution_data, "organisation": "Only In This Draft", "hero_alt": "x"}
    post(member_client, data, hero_file=photo())
    page = CaseStudyPage.objects.get(contributor=member)
    image = get_image_model().objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(reverse("contribute:delete", args=[page.pk]))
    assert not CaseStudyPage.objects.filter(pk=page.pk).exists()
    assert not get_image_model().objects.exists()
    assert not stored(image)
    assert not Organisation.objects.filter(name="Only In This Draft").exists()


def test_an_organisation_an_editor_made_or_a_case_uses_stays(
    member_client, member, contribution_data, make_case
):
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    curated = Organisation.objects.create(name="Curated Police", country="GB")
    log(curated, "wagtail.create", user=editor)
    shared = make_case().organisation
    for name in (curated.name, shared.name):
        post(member_client, {**contribution_data, "organisation": name, "title": name})
    for page in CaseStudyPage.objects.filter(contributor=member):
        member_client.post(reverse("contribute:delete", args=[page.pk]))
    assert not CaseStudyPage.objects.filter(contributor=member).exists()
    assert Organisation.objects.filter(pk__in=[curated.pk, shared.pk]).count() == 2


def test_what_a_draft_drops_goes_at_once(
    member_client, member, contribution_data, django_capture_on_commit_callbacks
):
    data = {**contribution_data, "organisation": "Typo Constabulary", "hero_alt": "x"}
    post(member_client, data, hero_file=photo())
    page = CaseStudyPage.objects.get(contributor=member)
    image = get_image_model().objects.get()
    edit = reverse("contribute:edit", args=[page.pk])
    token = html(member_client.get(edit)).select_one("#id_hero_kept")["value"]
    fixed = {**data, "organisation": "Real Constabulary", "hero_kept": token, "hero_remove": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert post(member_client, fixed, url=edit).status_code == 302
    assert not get_image_model().objects.exists()
    assert not stored(image)
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Real Constabulary"]
    draft = CaseStudyPage.objects.get(pk=page.pk)
    assert draft.organisation.name == "Real Constabulary"
    assert draft.hero_image is None


def test_a_contribution_sent_for_review_keeps_what_its_revisions_name(
    client, member, moderator, contribution_data, django_capture_on_commit_callbacks
):
    from tests.contribute.test_moderation import act

    client.force_login(member)
    data = {**contribution_data, "organisation": "First Name Police", "hero_alt": "x"}
    post(client, data, hero_file=photo(), action="submit")
    page = CaseStudyPage.objects.get(contributor=member)
    image = get_image_model().objects.get()
    # A moderator sends it back; the member drops the image and renames the organisation.
    act(client, moderator, page, "reject", "More", capture=django_capture_on_commit_callbacks)
    client.force_login(member)
    edit = reverse("contribute:edit", args=[page.pk])
    assert (
        post(client, {**data, "organisation": "Second Name Police"}, url=edit).status_code == 302
    )
    assert page.revisions.count() == 2
    assert get_image_model().objects.filter(pk=image.pk).exists()
    assert Organisation.objects.filter(name="First Name Police").exists()


def test_the_clean_up_removes_organisations_nothing_names(
    make_case, django_capture_on_commit_callbacks
):
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    left_over = Organisation.objects.create(name="Left By A Deleted Draft", country="BE")
    curated = Organisation.objects.create(name="Added By An Editor", country="GB")
    log(curated, "wagtail.create", user=editor)
    used = make_case().organisation
    report = clean(django_capture_on_commit_callbacks)
    assert "1 unused organisations removed" in report
    assert not Organisation.objects.filter(pk=left_over.pk).exists()
    assert Organisation.objects.filter(pk__in=[curated.pk, used.pk]).count() == 2


def test_uploads_stored_before_the_upgrade_are_recorded_then_cleaned(
    member_client, member, contribution_data, django_capture_on_commit_callbacks
):
    """The data migration records every image in the Contributions collection: the one a
    contribution names as attached, the others as pending, so the clean-up removes them."""
    import importlib

    from django.apps import apps

    from cases.models import ContributionUpload

    migration = importlib.import_module("cases.migrations.0010_contribution_ledgers_data")
    orphan = pending_image(member_client, contribution_data)
    post(member_client, {**contribution_data, "hero_alt": "Saved"}, hero_file=photo())
    saved = get_image_model().objects.latest("pk")
    ContributionUpload.objects.all().delete()  # as before the upgrade
    get_image_model().objects.filter(pk=orphan.pk).update(created_at=timezone.now() - timedelta(2))

    migration.fill_contribution_uploads(apps, None)
    migration.fill_contribution_uploads(apps, None)  # again: nothing more
    page = CaseStudyPage.objects.get(contributor=member)
    assert sorted(ContributionUpload.objects.values_list("image_id", "page_id")) == [
        (orphan.pk, None),
        (saved.pk, page.pk),
    ]
    clean(django_capture_on_commit_callbacks)
    assert list(get_image_model().objects.values_list("pk", flat=True)) == [saved.pk]


@pytest.mark.parametrize("days", [0, 2])
def test_the_clean_up_can_run_as_a_function(member_client, contribution_data, days):
    from cases.contribute.cleanup import clean_contributions

    image = pending_image(member_client, contribution_data)
    report = clean_contributions(now=timezone.now() + timedelta(days=days))
    assert report.images == (1 if days else 0)
    assert get_image_model().objects.filter(pk=image.pk).exists() == (not days)
