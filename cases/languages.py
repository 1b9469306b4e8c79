"""Language codes (BCP 47) and their names, via pycountry's ISO 639 tables.

Any known ISO 639 code may be stored (imports, the admin); the contribution form offers the
languages police forces actually write in: the site's own five first, then the official
languages of the EU and the UN and the main ones of the Commonwealth.
"""

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


# The site's interface languages, offered first.
SITE_LANGUAGES = {
    "en": _("English"),
    "nl": _("Dutch"),
    "fr": _("French"),
    "de": _("German"),
    "es": _("Spanish"),
}
# Official EU and UN languages and the main languages of the Commonwealth.
OTHER_LANGUAGES = {
    "af": _("Afrikaans"),
    "ar": _("Arabic"),
    "bn": _("Bengali"),
    "bg": _("Bulgarian"),
    "zh": _("Chinese"),
    "hr": _("Croatian"),
    "cs": _("Czech"),
    "da": _("Danish"),
    "et": _("Estonian"),
    "fi": _("Finnish"),
    "el": _("Greek"),
    "hi": _("Hindi"),
    "hu": _("Hungarian"),
    "id": _("Indonesian"),
    "ga": _("Irish"),
    "it": _("Italian"),
    "ja": _("Japanese"),
    "ko": _("Korean"),
    "lv": _("Latvian"),
    "lt": _("Lithuanian"),
    "ms": _("Malay"),
    "mt": _("Maltese"),
    "no": _("Norwegian"),
    "pl": _("Polish"),
    "pt": _("Portuguese"),
    "pa": _("Punjabi"),
    "ro": _("Romanian"),
    "ru": _("Russian"),
    "sk": _("Slovak"),
    "sl": _("Slovenian"),
    "sw": _("Swahili"),
    "sv": _("Swedish"),
    "ta": _("Tamil"),
    "tr": _("Turkish"),
    "uk": _("Ukrainian"),
    "ur": _("Urdu"),
    "cy": _("Welsh"),
}


def language_choices(keep: str = "") -> list:
    """The form's grouped choices, each group sorted by name in the reader's language. A
    stored code outside the list (`keep`, e.g. "nl-BE" from an import) is offered too, so
    editing a case never changes or refuses its language."""

    def by_name(languages):
        return sorted(((code, str(name)) for code, name in languages.items()), key=lambda c: c[1])

    site = by_name(SITE_LANGUAGES)
    other = by_name(OTHER_LANGUAGES)
    if keep and keep not in SITE_LANGUAGES and keep not in OTHER_LANGUAGES:
        other = sorted([*other, (keep, language_name(keep))], key=lambda c: c[1])
    return [(_("Languages of this site"), site), (_("Other languages"), other)]
