"""Digests also carry what is new on the cases a member follows, new or not: replications
approved and questions and answers published since the last digest, each once, never twice,
and never a pending, rejected or hidden one."""

from datetime import date

import pytest

from django.core import mail
from django.urls import reverse

from cases.models import Replication
from cases.replications import rules as replication_rules
from commonground.base_url import public_url
from commonground.discussion import rules as discussion_rules
from commonground.discussion.models import Post
from commonground.following.models import SentItem
from tests.following.conftest import follow
from tests.following.test_digests import case_titles, html_part

HEADING = "Tried elsewhere, questions and answers"


def extras(message) -> list[str]:
    """The extras section's entries, as text."""
    document = html_part(message)
    heading = next(h for h in document.select("h2") if h.get_text(strip=True) == HEADING)
    return [li.get_text(" ", strip=True) for li in heading.find_next("ul").select("li")]


def replication(case, organisation, status=Replication.Status.PENDING, moderator=None):
    made = Replication.objects.create(
        page=case,
        organisation_name=organisation,
        country="BE",
        tried_on=date(2025, 4, 1),
        changes="We ran it on Instagram.",
        result="worked",
        evidence="monitored",
    )
    if status != Replication.Status.PENDING:
        assert replication_rules.decide(made, status, moderator)
    return made


@pytest.fixture
def old_case(clock, make_case):
    """A case published before Jane followed anything: never news itself."""
    return make_case(
        title="Night-shift live tweets", country="AU", themes=["crisis-communication"]
    )


@pytest.fixture
def jane(old_case, clock, member):
    """Jane follows the case's theme and its country an hour after it was published."""
    clock.advance(hours=1)
    follow(member, "theme", "crisis-communication")
    follow(member, "country", "AU")
    return member


def test_a_replication_approved_since_the_last_digest_appears_once_then_never_again(
    jane, old_case, clock, make_case, other_member, run_digests, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://commonground.example"
    unfollowed = make_case(title="Elsewhere", country="GB", themes=["recruitment"])
    replication(unfollowed, "Not followed", Replication.Status.APPROVED, other_member)
    replication(old_case, "Still waiting")
    replication(old_case, "Turned down", Replication.Status.REJECTED, other_member)
    clock.advance(days=7, minutes=-30)  # within the overlap of the next digest's window
    approved = replication(old_case, "Politiezone Gent", Replication.Status.APPROVED, other_member)
    clock.advance(minutes=30)

    report = run_digests()

    assert (report.sent, report.cases, report.extras) == (1, 0, 1)
    [message] = mail.outbox
    assert case_titles(message) == []  # the case itself is not new
    # Found by both follows, listed once.
    assert extras(message) == [
        "Politiezone Gent (Belgium) tried this too : Worked Night-shift live tweets"
    ]
    link = html_part(message).find("a", string="Night-shift live tweets")["href"]
    assert link == f"https://commonground.example{old_case.url}#replication-{approved.pk}"
    assert link in message.body
    assert "Politiezone Gent (Belgium) tried this too: Worked" in message.body
    assert (
        message.subject
        == "[Common Ground] 1 new replication, question or answer in what you follow"
    )
    assert SentItem.objects.filter(kind="replication").values_list("item", flat=True).get() == (
        approved.pk
    )

    clock.advance(days=7)
    report = run_digests()

    assert (report.sent, report.nothing_new) == (0, 1)
    assert len(mail.outbox) == 1


def test_questions_and_answers_published_since_then_appear_escaped_with_links(
    jane, old_case, clock, other_member, run_digests
):
    clock.advance(hours=1)
    question = Post.objects.create(
        case=old_case,
        author=other_member,
        body="<b>How</b> did you staff it?",
        status=Post.Status.PUBLISHED,
    )
    answer = Post.objects.create(
        case=old_case, question=question, author=other_member, body="Two officers."
    )
    Post.objects.create(  # Jane's own answer: not news to her
        case=old_case, question=question, author=jane, body="Mine.", status="published"
    )
    Post.objects.create(case=old_case, author=other_member, body="Waiting")
    refused = Post.objects.create(case=old_case, author=other_member, body="Refused")
    discussion_rules.review(refused, approve=False)
    hidden = Post.objects.create(
        case=old_case, author=other_member, body="Hidden", status="published", reported=True
    )
    Post.objects.create(  # an answer to a hidden question has nowhere to be read
        case=old_case, question=hidden, author=other_member, body="Orphan", status="published"
    )
    clock.advance(days=2)
    discussion_rules.review(answer, approve=True)  # published now, written two days ago
    clock.advance(days=5)

    run_digests()

    [message] = mail.outbox
    assert extras(message) == [
        "A new answer Night-shift live tweets Two officers.",
        "A new question Night-shift live tweets <b>How</b> did you staff it?",
    ]
    body = message.alternatives[0][0]
    assert "&lt;b&gt;How&lt;/b&gt;" in body and "<b>How" not in body
    hrefs = [a["href"] for a in html_part(message).select("li a")]
    assert hrefs == [
        f"{old_case.full_url}#post-{answer.pk}",
        f"{old_case.full_url}#post-{question.pk}",
    ]
    for absent in ("Waiting", "Refused", "Hidden", "Orphan", "Mine."):
        assert absent not in body and absent not in message.body
    assert "<b>How</b> did you staff it?" in message.body  # the text part is plain text
    assert sorted(SentItem.objects.filter(kind="post").values_list("item", flat=True)) == [
        question.pk,
        answer.pk,
    ]


def test_new_cases_and_extras_share_one_digest(
    jane, old_case, clock, make_case, other_member, run_digests
):
    clock.advance(hours=1)
    make_case(title="Flood updates", country="GB", themes=["crisis-communication"])
    replication(old_case, "Politiezone Gent", Replication.Status.APPROVED, other_member)
    clock.advance(days=7)

    report = run_digests()

    assert (report.sent, report.cases, report.extras) == (1, 1, 1)
    [message] = mail.outbox
    assert case_titles(message) == ["Flood updates"]
    assert len(extras(message)) == 1
    assert message.subject == (
        "[Common Ground] 1 new case and 1 new replication, question or answer in what you follow"
    )


def test_nothing_new_at_all_sends_nothing(jane, old_case, clock, other_member, run_digests):
    clock.advance(hours=1)
    replication(old_case, "Still waiting")
    replication(old_case, "Turned down", Replication.Status.REJECTED, other_member)
    Post.objects.create(case=old_case, author=other_member, body="Waiting")
    clock.advance(days=7)

    report = run_digests()

    assert (report.due, report.sent, report.nothing_new) == (1, 0, 1)
    assert mail.outbox == []
    assert not SentItem.objects.exists()


def test_the_extras_section_is_in_the_members_language(
    jane, old_case, clock, other_member, run_digests
):
    jane.profile.language = "de"
    jane.profile.save()
    clock.advance(hours=1)
    replication(old_case, "Politiezone Gent", Replication.Status.APPROVED, other_member)
    clock.advance(days=7)
    run_digests()
    [message] = mail.outbox
    assert "== Anderswo erprobt, Fragen und Antworten ==" in message.body
    assert "Politiezone Gent (Belgien) hat das auch erprobt: Hat funktioniert" in message.body
    assert message.subject == (
        "[Common Ground] 1 neuer Erfahrungsbericht, neue Frage oder Antwort in dem, "
        "was Sie verfolgen"
    )


def test_the_queries_do_not_grow_with_the_extras(
    jane, old_case, clock, make_case, other_member, run_digests
):
    """Replications and posts are read once per run, whatever their number."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wagtail.models import Site

    others = [
        make_case(title=f"Old {i}", country="AU", themes=["crisis-communication"])
        for i in range(3)
    ]
    clock.advance(hours=1)
    replication(old_case, "First", Replication.Status.APPROVED, other_member)
    Post.objects.create(case=old_case, author=other_member, body="How?", status="published")
    clock.advance(days=7)
    Site.get_site_root_paths()  # cached by Wagtail on first use: both runs start alike
    with CaptureQueriesContext(connection) as two:
        run_digests()
    for case in others:
        replication(case, f"On {case.title}", Replication.Status.APPROVED, other_member)
        question = Post.objects.create(
            case=case, author=other_member, body="Why?", status=Post.Status.PUBLISHED
        )
        Post.objects.create(
            case=case, question=question, author=other_member, body="So.", status="published"
        )
    clock.advance(days=7)
    with CaptureQueriesContext(connection) as nine:
        run_digests()

    assert [len(extras(m)) for m in mail.outbox] == [2, 9]
    assert len(nine) == len(two)


def test_a_digest_holds_at_most_max_extras_counts_the_rest_and_never_sends_them_later(
    jane, old_case, clock, make_case, other_member, run_digests, monkeypatch
):
    from commonground.following import digests

    monkeypatch.setattr(digests, "MAX_EXTRAS", 2)
    clock.advance(hours=1)
    make_case(title="Flood updates", country="GB", themes=["crisis-communication"])
    for i in range(5):
        clock.advance(minutes=1)
        replication(old_case, f"Force {i}", Replication.Status.APPROVED, other_member)
    clock.advance(days=7)

    report = run_digests()

    [message] = mail.outbox
    listed = extras(message)
    assert len(listed) == 2 and "Force 4" in listed[0] and "Force 3" in listed[1]  # newest
    assert report.extras == 2
    # The subject counts every new item, listed or not, each kind in its own number.
    assert message.subject == (
        "[Common Ground] 1 new case and 5 new replications, questions or answers "
        "in what you follow"
    )
    following = public_url(reverse("following:mine"))
    more = next(p for p in html_part(message).select("p") if "3 more replications" in p.text)
    assert more.select_one("a")["href"] == following
    assert "And 3 more replications, questions or answers" in message.body
    assert following in message.body.split("And 3 more replications")[1]
    mail.outbox.clear()
    clock.advance(days=7)
    run_digests()
    assert mail.outbox == []  # the three not listed are not news next week


@pytest.mark.parametrize(
    ("cases", "others", "subject"),
    [
        (2, 0, "2 new cases in what you follow"),
        (0, 1, "1 new replication, question or answer in what you follow"),
        (1, 3, "1 new case and 3 new replications, questions or answers in what you follow"),
        (3, 1, "3 new cases and 1 new replication, question or answer in what you follow"),
    ],
)
def test_the_subject_counts_cases_and_other_items_in_whole_sentences(cases, others, subject):
    from commonground.following.digests import digest_subject

    assert digest_subject(cases, others) == subject


def test_the_subject_is_translated_whole(settings):
    from django.utils import translation

    from commonground.following.digests import digest_subject

    with translation.override("de"):
        german = digest_subject(3, 2)
    assert german.startswith("3 neue Fälle und 2 neue ") and "verfolgen" in german
