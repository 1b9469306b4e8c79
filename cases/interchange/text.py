"""Plain text <-> the body's rich text, so imported text round-trips exactly.

Interchange bodies are plain text with paragraphs separated by a blank line. Each paragraph
becomes one rich-text paragraph block with its characters escaped (markup in an imported
body is shown as text, never executed); single line breaks become <br/>.
"""

import re
from html import escape
from html.parser import HTMLParser

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def normalise_text(text: str) -> str:
    """Unix newlines, paragraphs separated by exactly one blank line, no outer spaces."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = (p.strip() for p in PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def paragraphs(text: str) -> list[str]:
    normalised = normalise_text(text)
    return normalised.split("\n\n") if normalised else []


def paragraph_to_html(paragraph: str) -> str:
    lines = (escape(line.strip(), quote=False) for line in paragraph.split("\n"))
    return "<p>" + "<br/>".join(lines) + "</p>"


class _TextExtractor(HTMLParser):
    BLOCK_TAGS = {"p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "div"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """The text of a rich-text fragment, paragraphs separated by blank lines."""
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    text = "".join(parser.parts)
    # Lines inside a paragraph keep their single breaks; surrounding spaces go.
    text = "\n".join(line.strip() for line in text.split("\n"))
    return normalise_text(text)
