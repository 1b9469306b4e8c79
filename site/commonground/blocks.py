"""StreamField blocks shared by every page type. Each block names its template."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(choices=[("h2", "Heading 2"), ("h3", "Heading 3")], default="h2")

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class FigureBlock(blocks.StructBlock):
    """An image with required alt text: the alt describes, the caption comments."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250, help_text="Describe the image for people who cannot see it."
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"


class VideoEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(help_text="A link to a public post or video, e.g. on YouTube.")
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "media"
        template = "blocks/embed_block.html"


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, template="blocks/paragraph_block.html"
    )
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = FigureBlock()
    embed = VideoEmbedBlock()
