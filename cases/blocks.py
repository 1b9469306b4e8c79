"""Blocks that hold a case study's lessons, outcomes and authors."""

from wagtail import blocks

from cases.choices import LessonKind


class LessonsBlock(blocks.StreamBlock):
    """Each lesson is one block whose type is its kind: worked, challenge or advice."""

    worked = blocks.TextBlock(label=LessonKind.WORKED.label, icon="tick")
    challenge = blocks.TextBlock(label=LessonKind.CHALLENGE.label, icon="warning")
    advice = blocks.TextBlock(label=LessonKind.ADVICE.label, icon="help")


class OutcomeBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=255, help_text="What was measured, e.g. Followers gained")
    value = blocks.CharBlock(max_length=255, help_text="The figure, e.g. 17,000")

    class Meta:
        icon = "table"


class OutcomesBlock(blocks.StreamBlock):
    outcome = OutcomeBlock()


class AuthorsBlock(blocks.StreamBlock):
    author = blocks.CharBlock(max_length=255, help_text="Name as it should be credited")
