"""Signed, expiring tokens for the links in e-mails that work without signing in: turning
digests off (List-Unsubscribe, one click), stopping one follow, and the discussion's notices
(commonground/discussion/notices.py). Each kind has its own salt, so one cannot stand for
the other; a token names the member (and the follow) only. Shared by following and
discussion, which import it from here so that only following imports discussion."""

from django.core import signing
from django.shortcuts import render

MAX_AGE = 60 * 24 * 60 * 60  # seconds: a digest's links work for 60 days
DIGESTS_OFF = "commonground.following.digests-off"
STOP_FOLLOW = "commonground.following.stop-follow"


class BadToken(Exception):
    """expired is True when the token was genuine but is too old."""

    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def make(salt: str, **data) -> str:
    return signing.dumps(data, salt=salt, compress=True)


def read(salt: str, token: str) -> dict:
    try:
        return signing.loads(token, salt=salt, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise BadToken(expired=True) from exc
    except signing.BadSignature as exc:
        raise BadToken(expired=False) from exc


def bad_token_page(request, exc: BadToken, following_url: str = ""):
    """The one page (400) for a link that is broken or too old, saying which; with
    `following_url`, where the member can change what the link was about."""
    context = {"expired": exc.expired, "following_url": following_url}
    return render(request, "commonground/token_invalid.html", context, status=400)
