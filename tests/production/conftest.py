"""The smoke suite runs against the production stack (tests/production/stack.py) over HTTP,
never against Django's test client; without STACK_URL it is skipped (see the `stack` fixture
in tests/conftest.py)."""

from http.cookies import SimpleCookie

import pytest
import requests


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/production/" in str(item.fspath):
            item.add_marker(pytest.mark.stack)


class Visitor(requests.Session):
    """A browser-like client that keeps its cookies itself: production marks them Secure,
    which the standard cookie jar sends only over https, while Chromium (and this client)
    send them to http://localhost too."""

    def __init__(self):
        super().__init__()
        self.headers["User-Agent"] = "Mozilla/5.0 (smoke test)"
        self.kept: dict[str, str] = {}

    def request(self, method, url, headers=None, **kwargs):
        headers = dict(headers or {})
        if self.kept:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.kept.items())
        kwargs["allow_redirects"] = False
        kwargs.setdefault("timeout", 30)
        response = super().request(method, url, headers=headers, **kwargs)
        for header in response.raw.headers.getlist("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.kept.pop(name, None)
                else:
                    self.kept[name] = morsel.value
        return response


@pytest.fixture
def http(stack):
    """A fresh visitor; redirects are not followed."""
    with Visitor() as visitor:
        yield visitor
