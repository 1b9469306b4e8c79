"""No field of the contribution form cuts what is typed or pasted at its limit: the hint
says the limit, the server refuses longer text with a message that keeps it, and the fields
that count down (with JavaScript) carry their limit and messages in the page's language."""

import pytest

from cases import limits
from cases.models import CaseStudyPage
from tests.helpers import html, text

NEW = "/contribute/"


def test_no_field_has_a_maxlength_that_would_cut_pasted_text(member_client):
    doc = html(member_client.get(NEW))
    assert doc.select("form.form--contribute [maxlength]") == []


def test_the_hints_say_the_limits(member_client):
    doc = html(member_client.get(NEW))
    assert "up to 255 characters" in text(doc.select_one("#id_title_helptext"))
    assert "Up to 600 characters" in text(doc.select_one("#id_summary_helptext"))


@pytest.mark.parametrize(
    ("field", "limit"), [("summary", limits.SUMMARY), ("title", limits.TITLE)]
)
def test_over_long_text_is_refused_with_the_limit_and_kept_whole(
    member_client, contribution_data, field, limit
):
    typed = "Word " * (limit // 5) + "and the end that would have been cut"
    response = member_client.post(NEW, {**contribution_data, field: typed, "action": "save"})
    doc = html(response)
    assert not CaseStudyPage.objects.exists()
    kept = doc.select_one(f"#id_{field}")
    value = kept.text.strip() if kept.name == "textarea" else kept["value"]
    assert value == typed.strip()
    message = f"Use at most {limit} characters (this has {len(typed.strip())})."
    assert message in text(doc.select_one(f"#id_{field}_error"))
    assert message in text(doc.select_one("#error-summary"))


def test_the_counted_fields_carry_their_limit_and_messages_in_the_page_language(
    member_client, member
):
    member_client.cookies["django_language"] = "de"
    doc = html(member_client.get(NEW))
    summary = doc.select_one("#id_summary")
    assert summary["data-character-count"] == str(limits.SUMMARY)
    assert summary.has_attr("data-count-single-line")
    assert summary["data-count-remaining-other"] == "Noch %(count)s Zeichen übrig"
    assert summary["data-count-over-one"] == "%(count)s Zeichen zu viel"
    assert doc.select_one("#id_title")["data-character-count"] == str(limits.TITLE)
    body = doc.select_one("#id_body")
    assert (body["data-character-count"], body["data-count-threshold"]) == ("50000", "90")
    assert not body.has_attr("data-count-single-line")
    scripts = [s["src"] for s in doc.select("script[src]")]
    assert any(src.endswith("js/character_count.js") for src in scripts)
