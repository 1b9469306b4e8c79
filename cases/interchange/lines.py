"""JSON Lines input, read a line at a time, each line bounded before it is decoded or parsed.

A file is read as bytes, so a line longer than RECORD_BYTES is passed over in small pieces and
never held whole: a 50 MB line costs the memory of a short one. A line ends at LF (or CR LF)
only, as JSON Lines says; str.splitlines() also splits at U+2028, form feeds and other
separators a JSON string may hold raw, which cut an exported record in two.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cases.limits import RECORD_BYTES

TOO_LONG = f"longer than {RECORD_BYTES // 1024} KiB, the most one record may take"
NOT_UTF8 = "not UTF-8 text (is it a binary file?)"
SKIP_PIECE = 64 * 1024


@dataclass(frozen=True)
class UnreadableLine:
    """A line that never became text (too long, or not UTF-8): a bad record, with its reason."""

    reason: str


def too_long(line: str) -> bool:
    """Whether a line of text takes more than RECORD_BYTES in UTF-8."""
    return (
        len(line) > RECORD_BYTES // 4 and len(line.encode("utf-8", "surrogatepass")) > RECORD_BYTES
    )


def read_lines(stream: BinaryIO) -> Iterator[str | UnreadableLine]:
    """Each line of a binary stream, as text without its line break, in order."""
    most = RECORD_BYTES + 2  # the longest line allowed, with its CR LF
    while chunk := stream.readline(most):
        if len(chunk) == most and not chunk.endswith(b"\n"):
            while (piece := stream.readline(SKIP_PIECE)) and not piece.endswith(b"\n"):
                pass
            yield UnreadableLine(TOO_LONG)
            continue
        content = chunk.rstrip(b"\r\n")
        if len(content) > RECORD_BYTES:
            yield UnreadableLine(TOO_LONG)
            continue
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            yield UnreadableLine(NOT_UTF8)
        else:
            yield text
