"""commonground.text: what counts as a control character."""

import sys
import unicodedata

from commonground.text import has_control_characters


def test_control_characters_are_exactly_unicode_cc_but_tab_and_line_breaks():
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        expected = unicodedata.category(char) == "Cc" and char not in "\t\n\r"
        assert has_control_characters(f"text {char} text") is expected, hex(code)
    assert has_control_characters("") is has_control_characters(None) is False
