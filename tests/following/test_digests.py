"""Digests: only what is new, each case once per digest and never twice, nothing when nothing
is new, in the member's language, safe to run twice and to resume after a crash."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from django.core import mail
from django.core.management import call_command

from cases.models import CaseStudyPage
from commonground.following import digests
from commonground.following.models import DigestSettings, SentItem
from tests.following.conftest import follow


def case_titles(message) -> list[str]:
    document = html_part(message)
    return [a.get_text(strip=True) for a in document.select("li a strong")]


def html_part(message) -> BeautifulSoup:
    content, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    return BeautifulSoup(content, "html.parser")


@pytest.fixture
def followed(clock, member):
    """Jane follows a theme and Australia; a week later, digests are due."""
    follow(member, "theme", "crisis-communication")
    follow(member, "country", "AU")
    return member


def test_digest_lists_each_new_case_once_under_the_first_follow_that_finds_it(
    followed, clock, make_case, run_digests
):
    clock.advance(hours=1)
    both = make_case(title="Bushfire warnings", country="AU", themes=["crisis-communication"])
    theme_only = make_case(title="Flood updates", country="GB", themes=["crisis-communication"])
    country_only = make_case(title="Outback recruiting", country="AU")
    make_case(title="Unrelated", country="GB")
    clock.advance(days=7)

    report = run_digests()

    assert (report.sent, report.cases) == (1, 3)
    [message] = mail.outbox
    assert message.to == ["jane@example.org"]
    sections = html_part(message).select("h2")
    assert [s.get_text(" ", strip=True) for s in sections] == [
        "Theme: Crisis communication",
        "Country: Australia",
    ]
    in_sections = [
        {a.get_text(strip=True) for a in ul.select("li a strong")}
        for ul in html_part(message).select("ul")
    ]
    assert in_sections == [{both.title, theme_only.title}, {country_only.title}]
    assert case_titles(message).count("Bushfire warnings") == 1
    assert "Unrelated" not in message.body
    assert "3 new cases" in message.subject


def test_no_case_is_sent_twice_across_digests(followed, clock, make_case, run_digests):
    clock.advance(hours=1)
    make_case(title="First week", themes=["crisis-communication"])
    clock.advance(days=7)
    run_digests()
    clock.advance(hours=1)
    make_case(title="Second week", themes=["crisis-communication"])
    clock.advance(days=7)

    run_digests()

    assert [case_titles(m) for m in mail.outbox] == [["First week"], ["Second week"]]


def test_nothing_new_sends_nothing_and_keeps_the_window_open(
    followed, clock, make_case, run_digests
):
    clock.advance(days=7)
    report = run_digests()
    assert (report.due, report.sent, report.nothing_new) == (1, 0, 1)
    assert mail.outbox == []
    # The window did not move: a case published now is in the next run's digest.
    clock.advance(hours=1)
    make_case(title="Late arrival", themes=["crisis-communication"])
    clock.advance(hours=1)
    run_digests()
    assert [case_titles(m) for m in mail.outbox] == [["Late arrival"]]


def test_a_weekly_digest_waits_a_week_and_a_daily_one_a_day(
    followed, other_member, clock, make_case, run_digests
):
    follow(other_member, "theme", "crisis-communication")
    DigestSettings.objects.filter(user=other_member).update(frequency="daily")
    clock.advance(hours=1)
    make_case(title="Monday case", themes=["crisis-communication"])
    clock.advance(hours=1)
    run_digests()  # both had no digest yet
    assert sorted(m.to[0] for m in mail.outbox) == ["jane@example.org", "omar@example.org"]
    mail.outbox.clear()
    make_case(title="Tuesday case", themes=["crisis-communication"])
    clock.advance(days=1)

    run_digests()

    assert [(m.to, case_titles(m)) for m in mail.outbox] == [
        (["omar@example.org"], ["Tuesday case"])
    ]
    mail.outbox.clear()
    clock.advance(days=6)
    run_digests()
    assert [(m.to, case_titles(m)) for m in mail.outbox] == [
        (["jane@example.org"], ["Tuesday case"])
    ]


def test_digests_off_gets_nothing(followed, clock, make_case, run_digests):
    DigestSettings.objects.filter(user=followed).update(frequency="off")
    clock.advance(hours=1)
    make_case(themes=["crisis-communication"])
    clock.advance(days=7)
    assert run_digests().due == 0
    assert mail.outbox == []


def test_running_twice_sends_once(followed, clock, make_case, run_digests):
    clock.advance(hours=1)
    make_case(themes=["crisis-communication"])
    clock.advance(days=7)
    run_digests()
    second = run_digests()
    assert second.due == 0
    assert len(mail.outbox) == 1


def test_a_member_another_run_marked_first_gets_nothing_from_this_one(
    followed, clock, make_case, django_capture_on_commit_callbacks
):
    """Two runs at once both read Jane as due; the one that commits second sends nothing."""
    clock.advance(hours=1)
    make_case(themes=["crisis-communication"])
    clock.advance(days=7)
    read_as_due = DigestSettings.objects.select_related("user").get(user=followed)
    run = digests.Run(clock.now, digests.changes_since(read_as_due.since))
    sections, more = run.sections(read_as_due, list(followed.follows.all()), {})
    assert sections
    message = digests.digest_message(run, read_as_due, sections, more)
    DigestSettings.objects.filter(pk=read_as_due.pk).update(last_digest_at=clock.now)
    report = digests.Report()

    with django_capture_on_commit_callbacks(execute=True):
        digests._mark_sent(run, [(read_as_due, sections, [], message)], report)

    assert (report.sent, report.skipped) == (0, 1)
    assert mail.outbox == []
    assert not SentItem.objects.exists()


def test_a_run_killed_half_way_is_finished_by_the_next(
    clock, make_case, run_digests, monkeypatch, db
):
    from tests.members.conftest import make_member

    members = [make_member(email=f"m{i}@example.org", display_name=f"M {i}") for i in range(5)]
    for m in members:
        follow(m, "theme", "crisis-communication")
    clock.advance(hours=1)
    make_case(title="News", themes=["crisis-communication"])
    clock.advance(days=7)
    real = digests.digest_message
    calls = []

    def dies_on_the_fourth(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise KeyboardInterrupt("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(digests, "digest_message", dies_on_the_fourth)
    with pytest.raises(KeyboardInterrupt):
        run_digests(batch=2)
    # The first batch of two committed and was sent; the second died before its commit.
    assert len(mail.outbox) == 2
    assert SentItem.objects.count() == 2
    monkeypatch.setattr(digests, "digest_message", real)

    report = run_digests()

    assert (report.due, report.sent) == (3, 3)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    assert SentItem.objects.count() == 5


def test_a_substantial_update_is_news_again_and_a_small_edit_is_not(
    followed, clock, make_case, run_digests
):
    clock.advance(hours=1)
    case = make_case(title="Evolving case", themes=["crisis-communication"], result="promising")
    clock.advance(days=7)
    run_digests()
    assert len(mail.outbox) == 1

    clock.advance(hours=2)
    case = CaseStudyPage.objects.get(pk=case.pk)  # as the editor opens it
    case.title = "Evolving case, retitled"  # not substance
    case.save_revision().publish()
    clock.advance(days=7)
    run_digests()
    assert len(mail.outbox) == 1

    clock.advance(hours=2)
    case.result = "worked"  # the verdict changed
    case.save_revision().publish()
    clock.advance(days=7)
    run_digests()
    assert len(mail.outbox) == 2
    assert case_titles(mail.outbox[1]) == ["Evolving case, retitled"]
    assert "(updated)" in mail.outbox[1].alternatives[0][0]
    assert "Updated: Evolving case, retitled" in mail.outbox[1].body


def test_a_followed_search_finds_cases_through_the_search_service(
    clock, member, make_case, run_digests
):
    follow(member, "search", "q=bushfire&country=AU")
    clock.advance(hours=1)
    make_case(title="Bushfire live updates", country="AU")
    make_case(title="Bushfire in Spain", country="ES")
    make_case(title="Recruitment in Australia", country="AU")
    clock.advance(days=7)
    run_digests()
    [message] = mail.outbox
    assert case_titles(message) == ["Bushfire live updates"]
    heading = html_part(message).select_one("h2").get_text(" ", strip=True)
    assert heading == "Search: “bushfire” · Country: Australia"


def test_older_cases_are_not_news(clock, make_case, member, run_digests):
    make_case(title="Before following", themes=["crisis-communication"])
    clock.advance(hours=1)
    follow(member, "theme", "crisis-communication")
    clock.advance(days=7)
    assert run_digests().sent == 0


def test_the_digest_is_in_the_members_language_escaped_with_absolute_links(
    followed, clock, make_case, run_digests, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://commonground.example"
    followed.profile.language = "de"
    followed.profile.save()
    clock.advance(hours=1)
    make_case(title="<script>alert(1)</script> & more", themes=["crisis-communication"])
    clock.advance(days=7)
    run_digests()
    [message] = mail.outbox
    body = message.alternatives[0][0]
    assert (
        "<script>alert" not in body and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in body
    )
    assert message.subject == "[Common Ground] 1 neuer Fall in dem, was Sie verfolgen"
    assert "Das ist neu in dem, was Sie auf Common Ground verfolgen." in message.body
    assert "Thema: Krisenkommunikation" in message.body
    assert 'lang="de"' in body
    document = html_part(message)
    hrefs = [a["href"] for a in document.select("a")]
    assert hrefs and all(h.startswith("https://commonground.example/") for h in hrefs)
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<https://commonground.example/accounts/following/digests-off/"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_digest_holds_at_most_max_cases_and_counts_the_rest(
    followed, clock, make_case, run_digests, monkeypatch
):
    monkeypatch.setattr(digests, "MAX_CASES", 2)
    clock.advance(hours=1)
    for i in range(4):
        make_case(title=f"Case {i}", themes=["crisis-communication"])
    clock.advance(days=7)
    run_digests()
    [message] = mail.outbox
    assert len(case_titles(message)) == 2
    assert "And 2 more cases" in message.body


def test_the_command_sends_or_enqueues(
    followed, clock, make_case, capsys, django_capture_on_commit_callbacks
):
    clock.advance(hours=1)
    make_case(themes=["crisis-communication"])
    clock.advance(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests")
    out = capsys.readouterr().out
    assert "1 digest(s) sent with 1 case(s) and 0 replication(s), question(s) or answer(s)" in out
    assert len(mail.outbox) == 1


def test_the_task_runs_on_the_database_queue(
    followed, clock, make_case, settings, run_worker, capsys, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    clock.advance(hours=1)
    make_case(themes=["crisis-communication"])
    clock.advance(days=7)
    call_command("send_digests", "--enqueue")
    assert "queued" in capsys.readouterr().out
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()  # the digest task, which queues the e-mail after its commit
    run_worker()  # the e-mail
    assert len(mail.outbox) == 1
    assert DigestSettings.objects.get(user=followed).last_digest_at == clock.now


def test_sent_items_are_recorded_with_the_change(followed, clock, make_case, run_digests):
    clock.advance(hours=1)
    case = make_case(themes=["crisis-communication"])
    clock.advance(days=7)
    run_digests()
    item = SentItem.objects.get()
    case.refresh_from_db()
    assert (item.user, item.page_id, item.changed_at) == (
        followed,
        case.pk,
        case.first_published_at,
    )
    assert DigestSettings.objects.get(user=followed).since == clock.now - timedelta(hours=1)


def test_a_member_without_a_language_is_written_to_in_the_sites_not_the_senders(
    followed, clock, make_case, run_digests
):
    """Whatever language the process that sends has active (a worker, a command run by
    someone reading French), a member who chose none is written to in the site's."""
    from django.utils import translation

    clock.advance(hours=1)
    make_case(title="Bushfire warnings", country="AU", themes=["crisis-communication"])
    clock.advance(days=7)
    with translation.override("fr"):
        run_digests()

    [message] = mail.outbox
    assert "Theme: Crisis communication" in message.body
    assert "Thème" not in message.body
