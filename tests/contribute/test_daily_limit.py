"""The daily limit of new contributions holds when drafts are deleted and when a member's
requests arrive at once (PostgreSQL; SQLite writes one transaction at a time)."""

import contextlib
import threading

import pytest

from django.db import connection
from django.urls import reverse

from cases.models import CaseStudyPage
from tests.contribute.conftest import make_user


def post(client, data):
    return client.post("/contribute/", {**data, "action": "save"})


def test_deleting_drafts_does_not_give_the_day_back(
    member_client, member, contribution_data, settings
):
    settings.CONTRIBUTIONS_PER_DAY = 2
    for n in range(2):
        assert post(member_client, {**contribution_data, "title": f"Case {n}"}).status_code == 302
    for page in CaseStudyPage.objects.filter(contributor=member):
        member_client.post(reverse("contribute:delete", args=[page.pk]))
    assert not CaseStudyPage.objects.filter(contributor=member).exists()

    response = post(member_client, {**contribution_data, "title": "Third today"})
    assert response.status_code == 200
    assert "at most 2 new contributions a day" in response.content.decode()
    assert not CaseStudyPage.objects.filter(contributor=member).exists()


def at_once(count, work):
    """Runs work(n) in `count` threads that pass a barrier together; returns each result
    (or exception) in order. Each thread closes its own database connection."""
    results = [None] * count

    def run(n):
        try:
            results[n] = work(n)
        except Exception as error:  # reported to the test, which checks what it expects
            results[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def gate(parties):
    """A step both requests reach after their checks: they wait for each other there (for
    at most 3 s: with the member locked, the second never arrives), then the second waits
    until the first has committed, the interleaving that let both through."""
    barrier = threading.Barrier(parties)
    first_done = threading.Event()
    order = []
    lock = threading.Lock()

    def wait():
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=3)
        with lock:
            order.append(threading.get_ident())
            second = len(order) > 1
        if second:
            first_done.wait(timeout=10)

    return wait, first_done


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_new_contributions_cannot_pass_the_limit(
    contribution_data, settings, monkeypatch
):
    from cases.contribute import submissions
    from cases.contribute.forms import ContributionForm

    settings.CONTRIBUTIONS_PER_DAY = 1
    member = make_user("racer@example.org")
    wait, first_done = gate(2)
    real_slug = submissions.find_available_slug

    def slow_slug(*args, **kwargs):
        wait()
        return real_slug(*args, **kwargs)

    monkeypatch.setattr(submissions, "find_available_slug", slow_slug)

    def contribute(n):
        data = {**contribution_data, "title": f"Race {n}", "organisation": f"Race Police {n}"}
        form = ContributionForm(data, user=member)
        assert form.is_valid(), form.errors
        try:
            return submissions.save_draft(form, member)
        finally:
            first_done.set()

    results = at_once(2, contribute)
    assert CaseStudyPage.objects.filter(contributor=member).count() == 1
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1
    assert "at most 1 new contribution a day" in str(refused[0])


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_uploads_cannot_pass_the_pending_allowance(settings, monkeypatch):
    from wagtail.images import get_image_model

    from cases.contribute import uploads
    from tests.contribute.conftest import photo

    settings.CONTRIBUTION_PENDING_IMAGES = 1
    member = make_user("uploader@example.org")
    wait, first_done = gate(2)
    real_check = uploads.checked_image

    def slow_check(upload):
        checked = real_check(upload)
        wait()
        return checked

    monkeypatch.setattr(uploads, "checked_image", slow_check)

    def upload(n):
        try:
            return uploads.store_upload(photo(f"race-{n}.jpg"), member, alt="Race")
        finally:
            first_done.set()

    results = at_once(2, upload)
    assert get_image_model().objects.count() == 1
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1
    assert "You already have 1 image waiting" in str(refused[0])


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_members_naming_the_same_new_organisation_at_once_both_save(
    contribution_data, monkeypatch
):
    from cases.contribute import submissions
    from cases.contribute.forms import ContributionForm
    from cases.models import Organisation, snippets

    members = [make_user(f"member{n}@example.org") for n in range(2)]
    wait, first_done = gate(2)
    real_slug = snippets.unique_slug

    def slow_slug(*args, **kwargs):
        wait()  # both have looked the name up and found nothing
        return real_slug(*args, **kwargs)

    monkeypatch.setattr(snippets, "unique_slug", slow_slug)

    def contribute(n):
        data = {**contribution_data, "organisation": "Brand New Police"}
        form = ContributionForm(data, user=members[n])
        assert form.is_valid(), form.errors
        try:
            return submissions.save_draft(form, members[n])
        finally:
            first_done.set()

    results = at_once(2, contribute)
    assert all(isinstance(r, CaseStudyPage) for r in results), results
    organisation = Organisation.objects.get(name="Brand New Police")
    assert {r.get_latest_revision_as_object().organisation for r in results} == {organisation}
