"""Blocks that hold a case study's lessons, outcomes and authors."""

from wagtail import blocks

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
        max_length=limits.OUTCOME_TEXT, help_text="What was measured, e.g. Followers gained"
    )
    value = SingleLineBlock(max_length=limits.OUTCOME_TEXT, help_text="The figure, e.g. 17,000")

    class Meta:
        icon = "table"


class OutcomesBlock(blocks.StreamBlock):
    outcome = OutcomeBlock()


class AuthorsBlock(blocks.StreamBlock):
    author = SingleLineBlock(max_length=limits.AUTHOR, help_text="Name as it should be credited")
