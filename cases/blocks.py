"""Blocks that hold a case study's lessons, outcomes and authors, and a session's speakers."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from cases import limits
from cases.choices import LessonKind
from commonground.blocks import MultiLineTextBlock, SingleLineBlock


class LessonsBlock(blocks.StreamBlock):
    """Each lesson is one block whose type is its kind: worked, challenge or advice."""

    worked = MultiLineTextBlock(label=LessonKind.WORKED.label, icon="tick")
    challenge = MultiLineTextBlock(label=LessonKind.CHALLENGE.label, icon="warning")
    advice = MultiLineTextBlock(label=LessonKind.ADVICE.label, icon="help")


class OutcomeBlock(blocks.StructBlock):
    label = SingleLineBlock(
        max_length=limits.OUTCOME_TEXT, help_text=_("What was measured, e.g. Followers gained")
    )
    value = SingleLineBlock(max_length=limits.OUTCOME_TEXT, help_text=_("The figure, e.g. 17,000"))

    class Meta:
        icon = "table"


class OutcomesBlock(blocks.StreamBlock):
    outcome = OutcomeBlock()


class AuthorsBlock(blocks.StreamBlock):
    author = SingleLineBlock(
        max_length=limits.AUTHOR, help_text=_("Name as it should be credited")
    )


class SpeakerBlock(blocks.StructBlock):
    """One speaker of a conference session: a name or a role, and where they work. The
    organisation is named as the programme gives it, and may also point at the
    organisation's page in the library."""

    name = SingleLineBlock(
        max_length=limits.SPEAKER,
        label=_("Name or role"),
        help_text=_("e.g. Head of digital communications"),
    )
    organisation = SingleLineBlock(
        required=False, max_length=limits.SPEAKER, label=_("Organisation")
    )
    organisation_page = SnippetChooserBlock(
        "cases.Organisation",
        required=False,
        label=_("Organisation in the library"),
        help_text=_("Optional: links the organisation to its page of cases."),
    )

    class Meta:
        icon = "user"
        label = _("Speaker")


class SpeakersBlock(blocks.StreamBlock):
    speaker = SpeakerBlock()
