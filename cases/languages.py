"""Language codes (BCP 47) and their names, via pycountry's ISO 639 tables."""

import gettext
import re
from functools import lru_cache

import pycountry

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# \Z, not $, which also matches before a final newline and so took "en\n" for a code.
BCP47_RE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*\Z")


def language_name(code: str) -> str:
    """Name of a tag's primary language in the active interface language ("nl-BE" ->
    "Dutch", "néerlandais", "Niederländisch"); the code if unknown."""
    return _language_name(code, get_language() or "en")


@lru_cache(maxsize=2048)
def _language_name(code: str, interface: str) -> str:
    primary = code.split("-")[0].lower()
    lang = pycountry.languages.get(alpha_2=primary) if len(primary) == 2 else None
    lang = lang or pycountry.languages.get(alpha_3=primary)
    return _iso639_names(interface).gettext(lang.name) if lang else code


@lru_cache(maxsize=16)
def _iso639_names(interface: str):
    """pycountry's own translations of the ISO 639 names (English when it has none)."""
    return gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[interface.split("-")[0]], fallback=True
    )


def is_known_language(code: str) -> bool:
    if not BCP47_RE.match(code or ""):
        return False
    primary = code.split("-")[0].lower()
    lookup = {"alpha_2": primary} if len(primary) == 2 else {"alpha_3": primary}
    return pycountry.languages.get(**lookup) is not None


def validate_language(code: str) -> None:
    if not is_known_language(code):
        raise ValidationError(
            _("“%(code)s” is not a BCP 47 language code such as en, nl or fr-BE."),
            params={"code": code},
        )


@lru_cache(maxsize=1)
def language_choices() -> list[tuple[str, str]]:
    """Every ISO 639-1 language as (code, English name), sorted by name, for forms."""
    languages = (lang for lang in pycountry.languages if hasattr(lang, "alpha_2"))
    return sorted(((lang.alpha_2, lang.name) for lang in languages), key=lambda c: c[1])
