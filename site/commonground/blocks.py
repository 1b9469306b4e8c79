"""StreamField blocks shared by every page type. Each block names its template."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from commonground.text import SingleLineField, refuse_control_characters, single_line

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class SingleLineBlock(blocks.CharBlock):
    """A CharBlock that stays on one line (headings, alt text, captions, outcomes, authors):
    the admin cleans it with single_line() before checking it, and every save of the
    stream (admin, revision, import, shell) stores it that way."""

    def __init__(
        self,
        required=True,
        help_text=None,
        max_length=None,
        min_length=None,
        validators=(),
        **kwargs,
    ):
        super().__init__(
            required=required,
            help_text=help_text,
            max_length=max_length,
            min_length=min_length,
            validators=validators,
            **kwargs,
        )
        self.field = SingleLineField(
            required=required,
            help_text=help_text,
            max_length=max_length,
            min_length=min_length,
            validators=validators,
        )

    def get_prep_value(self, value):
        return single_line(value) if isinstance(value, str) else value


class MultiLineTextBlock(blocks.TextBlock):
    """A TextBlock (a lesson, a quote) that refuses control characters other than line
    breaks, with a message, instead of storing them."""

    def __init__(self, *args, validators=(), **kwargs):
        super().__init__(*args, validators=[*validators, refuse_control_characters], **kwargs)


class HeadingBlock(blocks.StructBlock):
    text = SingleLineBlock(max_length=200)
    level = blocks.ChoiceBlock(choices=[("h2", "Heading 2"), ("h3", "Heading 3")], default="h2")

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = MultiLineTextBlock()
    attribution = SingleLineBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class FigureBlock(blocks.StructBlock):
    """An image with required alt text: the alt describes, the caption comments."""

    image = ImageChooserBlock()
    alt_text = SingleLineBlock(
        max_length=250, help_text=_("Describe the image for people who cannot see it.")
    )
    caption = SingleLineBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"


class VideoEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(help_text=_("A link to a public post or video, e.g. on YouTube."))
    caption = SingleLineBlock(required=False, max_length=250)

    class Meta:
        icon = "media"
        template = "blocks/embed_block.html"


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        validators=[refuse_control_characters],
        template="blocks/paragraph_block.html",
    )
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = FigureBlock()
    embed = VideoEmbedBlock()
