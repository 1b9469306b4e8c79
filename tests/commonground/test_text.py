"""commonground.text: single-line values and what counts as a control character."""

import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from commonground.text import has_control_characters, single_line


def test_control_characters_are_unicode_cc_but_tab_and_line_breaks_and_bidi_overrides():
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        expected = (unicodedata.category(char) == "Cc" and char not in "\t\n\r") or (
            0x202A <= code <= 0x202E
        )
        assert has_control_characters(f"text {char} text") is expected, hex(code)
    assert has_control_characters("") is has_control_characters(None) is False


def one_line_by_the_rule(text: str) -> str:
    """single_line's rule, character by character: white space becomes a space, control,
    format, surrogate, private and unassigned characters go (but the joiners), runs of
    spaces collapse, the ends are trimmed."""
    kept = "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace()
        or char in "\u200c\u200d"
        or unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    return " ".join(kept.split())


@given(st.text(st.characters(exclude_categories=())) | st.sampled_from(["A  b", " a", "a "]))
def test_single_line_follows_its_rule_for_any_text(text):
    assert single_line(text) == one_line_by_the_rule(text)
