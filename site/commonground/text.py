"""Text that must stay on one line: titles, names, organisations, alt text, captions.

A line break in a single-line value breaks e-mail headers (a subject with CR/LF is refused,
or worse, read as a new header), CSV rows and page titles. Every entry point (forms, the
Wagtail admin, the importer, models) passes such values through single_line(), so they are
stored on one line whatever was typed or pasted: SingleLineField in forms,
SingleLineCharField / SingleLineTextField in models, SingleLineTitles for Wagtail's page
titles. Multi-line text keeps its line breaks but refuses other control characters
(refuse_control_characters).
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Control, format (bidi overrides, zero-width space), surrogate, private and unassigned
# characters; the zero-width joiner and non-joiner stay, Persian and Indic names need them.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}
_JOINERS = {"\u200c", "\u200d"}
# Unicode's control characters (category Cc) are exactly U+0000-U+001F and U+007F-U+009F;
# tab, LF and CR are left out. The bidi embeddings and overrides (U+202A-U+202E) too: they
# make a lesson read in another order than it is stored ("Trojan source"), and single-line
# text drops them already; the isolates (U+2066-U+2069) that right-to-left writing uses stay.
# One regular expression: the importer checks every character.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]")


def single_line(value) -> str:
    """The value on one line: every run of white space (CR, LF, tabs, U+2028…) becomes one
    space, other control and format characters (NUL, bidi overrides, zero-width) go, and
    the ends are trimmed. None becomes ''."""
    if value is None:
        return ""
    text = str(value)
    if text.isprintable() and "  " not in text and text == text.strip():
        # Already one line (printable: no control, format or separator character but the
        # space), as nearly every value is; the importer asks of every name it reads.
        return text
    text = "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or char in _JOINERS or unicodedata.category(char) not in _INVISIBLE
    )
    return " ".join(text.split())


def has_control_characters(value: str) -> bool:
    """Whether multi-line text holds characters no text needs: NUL and other C0/C1 controls
    except tab, LF and CR, and bidi overrides (PostgreSQL refuses NUL; the others only hide,
    reorder or break things)."""
    return _CONTROL.search(value or "") is not None


class SingleLineField(forms.CharField):
    """A form field whose value is cleaned with single_line() before validation, so an
    empty-after-cleaning value counts as missing and max_length applies to what is kept."""

    def to_python(self, value):
        value = super().to_python(value)
        return single_line(value) if value not in self.empty_values else value


CONTROL_CHARACTERS = _(
    "This text contains control characters (such as NUL) that cannot be stored. "
    "Remove them and try again; pasting through a plain-text editor helps."
)


def refuse_control_characters(value) -> None:
    """Validator for multi-line text (a story, a lesson, an abstract), which keeps its line
    breaks but may hold no other control character."""
    if has_control_characters(str(value or "")):
        raise ValidationError(CONTROL_CHARACTERS, code="control_characters")


class SingleLineModelField:
    """Mixin for a model's CharField or TextField: the value is put on one line by
    full_clean() and by every save, including bulk_create() and Wagtail revisions (both
    read pre_save()), and its form field is a SingleLineField."""

    def to_python(self, value):
        value = super().to_python(value)
        return single_line(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = single_line(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SingleLineField, **kwargs})


class SingleLineCharField(SingleLineModelField, models.CharField):
    """A name, title, alt text or caption: one line whatever was typed, pasted or imported."""


class SingleLineTextField(SingleLineModelField, models.TextField):
    """Longer text shown as one paragraph (a summary): one line, in a textarea."""


class SingleLineTitles:
    """Mixin for Wagtail pages: Wagtail's own title, draft_title and seo_title stay on one
    line however the page is saved: through the admin's form (full_clean), into a revision
    (serializable_data) or by save() (the shell, an import, publishing a revision)."""

    TITLE_FIELDS = ("title", "draft_title", "seo_title")

    def _titles_on_one_line(self) -> None:
        for name in self.TITLE_FIELDS:
            value = getattr(self, name, None)
            if isinstance(value, str):
                setattr(self, name, single_line(value))

    def full_clean(self, *args, **kwargs):
        self._titles_on_one_line()
        return super().full_clean(*args, **kwargs)

    def serializable_data(self):
        self._titles_on_one_line()
        return super().serializable_data()

    def save(self, *args, **kwargs):
        self._titles_on_one_line()
        return super().save(*args, **kwargs)
