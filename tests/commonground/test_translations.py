"""The committed catalogues, the site's own and the hand-maintained overrides of allauth's
wording: every .mo is the compiled form of its .po (a laptop running the site has no gettext
tools, so a stale .mo would silently show old wording), no translation breaks a placeholder,
and every override still overrides something allauth says."""

import ast
import gettext
import re
from pathlib import Path

import allauth
import pytest

from django.conf import settings

import wagtail.admin

LOCALE = Path(settings.BASE_DIR) / "locale"
OVERRIDES = Path(settings.BASE_DIR) / "locale_overrides"
ALLAUTH_LOCALE = Path(allauth.__file__).parent / "locale"
WAGTAIL_ADMIN_LOCALE = Path(wagtail.admin.__file__).parent / "locale"
SITE_CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
OVERRIDE_CATALOGUES = sorted(OVERRIDES.glob("*/LC_MESSAGES/django.po"))
CATALOGUES = SITE_CATALOGUES + OVERRIDE_CATALOGUES
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w+)\}")


def read_po(path: Path) -> dict:
    """{msgid or (msgid, msgid_plural): msgstr or [msgstr[n]]} of the translated, non-fuzzy
    entries (what msgfmt compiles), with msgctxt joined as gettext does ("ctx\\x04id")."""
    entries, entry, key, fuzzy = {}, {}, None, False

    def finish():
        nonlocal entry, fuzzy
        if "msgid" in entry and entry["msgid"] and not fuzzy:
            msgid = entry["msgid"]
            if "msgctxt" in entry:
                msgid = f"{entry['msgctxt']}\x04{msgid}"
            if "msgid_plural" in entry:
                forms = [entry[k] for k in sorted(k for k in entry if k.startswith("msgstr["))]
                if all(forms):
                    entries[(msgid, entry["msgid_plural"])] = forms
            elif entry.get("msgstr"):
                entries[msgid] = entry["msgstr"]
        entry, fuzzy = {}, False

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _space, value = line.partition(" ")
            if key == "msgctxt" and "msgid" in entry:
                finish()
            entry[key] = ast.literal_eval(value)
    finish()
    return entries


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def test_there_is_a_catalogue_for_every_language_the_site_offers():
    offered = {code for code, _name in settings.LANGUAGES}
    found = {path.parts[-3].lower().replace("_", "-") for path in SITE_CATALOGUES}
    assert offered - {"en-gb"} <= found


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-4]}/{p.parts[-3]}")
def test_the_compiled_catalogue_matches_its_source(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run make messages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    source = read_po(po)
    assert source, f"{po} has no translations"
    for key, value in source.items():
        if isinstance(key, tuple):
            msgid, plural = key
            got = [compiled.ngettext(msgid, plural, n) for n in (1, 2)]
            assert value[0] == got[0], f"{po}: {msgid!r} is stale in the .mo; run make messages"
        else:
            got = compiled.gettext(key)
            assert got == value, f"{po}: {key!r} is stale in the .mo; run make messages"
    # Nothing is in the .mo that the .po no longer says.
    singular = {k for k in source if not isinstance(k, tuple)}
    plural = {k[0] for k in source if isinstance(k, tuple)}
    compiled_ids = {k for k in compiled._catalog if isinstance(k, str) and k}
    compiled_ids |= {k[0] for k in compiled._catalog if isinstance(k, tuple)}
    assert compiled_ids == singular | plural, f"{po}: the .mo differs; run make messages"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-4]}/{p.parts[-3]}")
def test_no_translation_breaks_a_placeholder(po):
    for key, value in read_po(po).items():
        msgids = list(key) if isinstance(key, tuple) else [key]
        msgstrs = value if isinstance(value, list) else [value]
        expected = placeholders(msgids[-1]) | placeholders(msgids[0])
        for msgstr in msgstrs:
            assert placeholders(msgstr) <= expected and placeholders(msgstr) >= placeholders(
                msgids[0]
            ) - {"counter"}, f"{po}: {msgids[0]!r} -> {msgstr!r}"


def test_the_overrides_are_where_django_looks_after_the_sites_own_catalogues():
    assert [Path(p) for p in settings.LOCALE_PATHS] == [LOCALE, OVERRIDES]


@pytest.mark.parametrize("po", OVERRIDE_CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_override_repeats_an_allauth_or_wagtail_msgid_exactly(po):
    """An override whose msgid allauth or Wagtail's admin no longer uses (reworded upstream)
    overrides nothing."""
    upstream = set(read_po(ALLAUTH_LOCALE / po.parts[-3] / "LC_MESSAGES" / "django.po"))
    upstream |= set(read_po(WAGTAIL_ADMIN_LOCALE / po.parts[-3] / "LC_MESSAGES" / "django.po"))
    stale = set(read_po(po)) - upstream
    assert not stale, f"{po}: not in allauth's or Wagtail's catalogue: {stale}"


INFORMAL = {
    "de": r"\b(du|dich|dir|dein\w*)\b",
    "es": r"\b(tú|tu|tus|te|ti|contigo)\b",
    "nl": r"\b(je|jij|jou|jouw|jullie|jezelf)\b",
}


@pytest.mark.parametrize("language", sorted(INFORMAL))
def test_nothing_allauth_says_informally_is_left_unoverridden(language):
    """A new informal allauth string (after an upgrade) fails here until it is overridden."""
    informal = re.compile(INFORMAL[language], re.IGNORECASE)
    allauth = read_po(ALLAUTH_LOCALE / language / "LC_MESSAGES" / "django.po")
    overrides = read_po(OVERRIDES / language / "LC_MESSAGES" / "django.po")
    assert not [v for v in overrides.values() if informal.search(str(v))]
    covered = set(overrides)
    covered |= set(read_po(LOCALE / language / "LC_MESSAGES" / "django.po"))
    left = {
        key
        for key, value in allauth.items()
        if key not in covered
        and informal.search(" ".join(value) if isinstance(value, list) else value)
    }
    assert not left, f"allauth's {language} still says: {left}"
