"""`lang` attributes for text in a case's own language inside the interface's.

The interface follows the visitor (commonground/languages.py); a case stays in the language it
was written in. Mark the case's own text (title, summary, story, lessons) with
`{% case_lang case %}` and interface text inside it with `{% ui_lang %}`:

    {% load case_language %}
    <article class="case" {% case_lang page %}>
      <dl {% ui_lang %}>…</dl>
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


def lang_attribute(code) -> str:
    return format_html('lang="{}"', code) if code else ""


@register.simple_tag
def case_lang(case) -> str:
    """`lang="<the case's language>"`, or nothing when the case does not say."""
    return lang_attribute(getattr(case, "language", "") or "")


@register.simple_tag
def ui_lang() -> str:
    """`lang="<the interface language>"`, for interface text inside a case's text."""
    return lang_attribute(get_language() or "")
