"""Where a browser journey runs: Django's live server on the test database, or the production
stack (tests/production/stack.py) over HTTP. The journeys take a `site` and ask it for its
address, the e-mail it sent and the few database facts they set up or check
(tests/browser/site_data.py), so one journey runs against both."""

import atexit
import json
import subprocess

from tests.browser import site_data
from tests.production.mailbox import messages_to
from tests.production.stack import start_in_stack


class LiveSite:
    """Django's live server in the test process: its test database and mail outbox."""

    def __init__(self, url: str):
        self.url = url

    @property
    def public_url(self) -> str:
        from django.conf import settings

        return settings.WAGTAILADMIN_BASE_URL

    def data(self, function: str, **arguments):
        return site_data.FUNCTIONS[function](**arguments)

    def messages_to(self, address: str) -> list[dict]:
        from django.core import mail

        return [
            {"subject": message.subject, "body": message.body}
            for message in mail.outbox
            if address in message.to
        ]


class StackSite:
    """The running production stack: its database reached through a process with its
    environment, its e-mail as the task worker delivered it."""

    _data_process: subprocess.Popen | None = None  # one per test run: Django starts once

    def __init__(self, described: dict):
        self.url = described["url"]
        self.public_url = described["env"]["BASE_URL"]
        self.mail = described["mail"]

    def data(self, function: str, **arguments):
        cls = type(self)
        if cls._data_process is None or cls._data_process.poll() is not None:
            cls._data_process = start_in_stack(["-m", "tests.browser.site_data"])
            atexit.register(cls._data_process.stdin.close)
        cls._data_process.stdin.write(json.dumps([function, arguments]) + "\n")
        cls._data_process.stdin.flush()
        line = cls._data_process.stdout.readline()
        assert line, f"tests.browser.site_data exited ({cls._data_process.poll()})"
        answer = json.loads(line)
        assert "error" not in answer, answer["error"]
        return answer["result"]

    def messages_to(self, address: str) -> list[dict]:
        return messages_to(self.mail, address, timeout=60)
