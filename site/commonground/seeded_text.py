"""Text the migrations seed into the database, shown in the visitor's language.

The twelve themes, the home, library and events pages and the review workflows' names are
created by data migrations (cases 0002, 0004 and 0005, commonground 0002, Wagtail's own
default workflow) in English. Editors may rename or rewrite them,
so the database stays the one source: a stored value that is still exactly the seeded text
is looked up in the catalogue at display time, anything an editor typed shows as typed.
Listed here with gettext_noop so makemessages extracts them; slugs, search, exports and
stored values keep the English.
"""

import re

from django.utils.html import escape
from django.utils.translation import gettext, gettext_noop

THEMES = (
    gettext_noop("Planning and strategy"),
    gettext_noop(
        "Knowing what you are doing on social media and why: goals, audiences, channels "
        "and a plan to match."
    ),
    gettext_noop("Evaluation and impact"),
    gettext_noop(
        "Showing what your social media achieved, with measures chosen before you start, "
        "not after."
    ),
    gettext_noop("Crisis communication"),
    gettext_noop(
        "Informing and reassuring the public when a major incident, manhunt or disaster is "
        "unfolding."
    ),
    gettext_noop("Honesty and transparency"),
    gettext_noop(
        "Telling the truth quickly, admitting mistakes and explaining decisions, even when it "
        "is uncomfortable."
    ),
    gettext_noop("Engagement and content"),
    gettext_noop(
        "Posts people want to read and answer: tone, humour, stories, video and two-way "
        "conversation."
    ),
    gettext_noop("Information sharing and appeals"),
    gettext_noop(
        "Asking the public for help with witnesses, images and missing people, and sharing "
        "what they need to know."
    ),
    gettext_noop("Data and insight"),
    gettext_noop(
        "Capturing, analysing and using the data social media produces to understand "
        "audiences and issues."
    ),
    gettext_noop("Officer support and training"),
    gettext_noop(
        "Equipping officers and staff to use social media well: training, guidance, "
        "permissions and backing."
    ),
    gettext_noop("Digital principles and policy"),
    gettext_noop(
        "The rules and values that guide what an organisation posts, including when it is "
        "under pressure."
    ),
    gettext_noop("Wellbeing and resilience"),
    gettext_noop(
        "Looking after the people who run accounts and face abuse, trauma and long shifts online."
    ),
    gettext_noop("Recruitment"),
    gettext_noop(
        "Using social media to attract and inform the next generation of officers, staff "
        "and volunteers."
    ),
    gettext_noop("Community relations"),
    gettext_noop(
        "Building trust with neighbourhoods and communities through everyday, local "
        "conversation online."
    ),
)

PAGES = (
    gettext_noop("Common Ground: police social media case studies from around the world"),
    gettext_noop(
        "Case studies and lessons learned from the people who run social media for police "
        "and law-enforcement organisations around the world: what they planned, what "
        "worked, what did not, and how they know."
    ),
    gettext_noop("Case library"),
    gettext_noop(
        "Every case study in Common Ground. Narrow them down by theme, country, "
        "organisation, platform, year, language or result."
    ),
    gettext_noop("Events"),
    gettext_noop(
        "Conferences where people who run police social media share what they learned, "
        "with write-ups of their talks."
    ),
)

# The workflows and their tasks, named in moderators' e-mails and the admin: Wagtail's
# default one (its migration names it after the Moderators group) and the library's.
WORKFLOWS = (
    gettext_noop("Moderators approval"),
    gettext_noop("Case review"),
    gettext_noop("Moderator review"),
)

SEEDED = frozenset(THEMES + PAGES + WORKFLOWS)

# A seeded rich-text intro is one plain paragraph.
_PARAGRAPH = re.compile(r"<p>([^<>]*)</p>")


def seeded(text: str) -> str:
    """`text` in the active language while it is still the seeded text, else as stored."""
    return gettext(text) if text in SEEDED else text


def seeded_rich_text(html: str) -> str:
    """A stored rich-text intro, translated while it is still the seeded paragraph."""
    match = _PARAGRAPH.fullmatch(html or "")
    if match and match[1] in SEEDED:
        return f"<p>{escape(gettext(match[1]))}</p>"
    return html
