"""E-mail the stack's task worker delivered, read back from its folder (EMAIL_URL=filemail://).

Django's file backend appends each message to a file per connection, separated by a line of
79 dashes; the worker opens a connection per message."""

import email
import email.policy
import time
from pathlib import Path

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def delivered(folder: str | Path) -> list[email.message.EmailMessage]:
    messages = []
    for path in sorted(Path(folder).glob("*.log")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return messages


def messages_to(folder: str | Path, address: str, timeout: float = 30) -> list[dict]:
    """The messages delivered to `address` (subject, plain-text body), waiting up to
    `timeout` seconds for the first: the worker delivers them after the request."""
    deadline = time.monotonic() + timeout
    while True:
        found = [
            {"subject": str(m["Subject"]), "body": m.get_body(("plain",)).get_content()}
            for m in delivered(folder)
            if address in str(m["To"])
        ]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.25)
