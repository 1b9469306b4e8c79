"""What the browser journeys set up or check in a site's database, one function each.

Against Django's live server they run in the test process (its test database); against the
production stack they run in a process of their own with the stack's environment, as an
operator's command would (tests/browser/sites.py starts it once per test run):

    python -m tests.browser.site_data

reads one call a line, ["function", {keyword arguments}], and answers each with a line of
JSON: {"result": ...} or {"error": "<traceback>"}."""

import json
import secrets
import sys
import traceback
from pathlib import Path


def create_moderator(email: str, password: str) -> dict:
    """A verified member of the Moderators group (the same one again if it exists)."""
    from allauth.account.models import EmailAddress

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, _ = get_user_model().objects.get_or_create(
        email=email, defaults={"username": email.split("@")[0]}
    )
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return {"pk": user.pk}


def create_event_session(event_title: str, session_title: str) -> dict:
    """A published event with one session to write up."""
    from django.utils.text import slugify

    from cases.models import EventSession
    from tests.factories import EventPageFactory

    slug = f"{slugify(event_title)}-{secrets.token_hex(3)}"
    event = EventPageFactory(title=event_title, slug=slug)
    session = EventSession.objects.create(event=event, title=session_title)
    return {"pk": session.pk, "event_url": event.url}


def email_verified(email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.get(email=email).verified


def submission(title: str, owner_email: str) -> dict:
    """A member's contributed case with this title: whether it is live, its address, and
    what its latest revision holds."""
    from cases.models import CaseStudyPage

    case = CaseStudyPage.objects.get(draft_title=title, owner__email=owner_email)
    latest = case.get_latest_revision_as_object()
    return {
        "pk": case.pk,
        "live": case.live,
        "url": case.url,
        "latest_has_hero_image": latest.hero_image_id is not None,
        "outcomes": [outcome.value["value"] for outcome in case.outcomes],
    }


FUNCTIONS = {
    f.__name__: f for f in (create_moderator, create_event_session, email_verified, submission)
}


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))
    import django

    django.setup()
    for line in sys.stdin:
        name, arguments = json.loads(line)
        try:
            answer = {"result": FUNCTIONS[name](**arguments)}
        except Exception:
            answer = {"error": traceback.format_exc()}
        print(json.dumps(answer), flush=True)
