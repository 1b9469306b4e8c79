"""A long unbroken word or address a member typed (a pasted URL, a run of letters) wraps
where it is shown: no page the public sees scrolls sideways because of it."""

import pytest

from tests.browser.test_browsing_layout import DESKTOP, PHONE, new_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG = "W" * 300
LONG_URL = "https://example.org/" + "a" * 200


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_long_unbroken_text_never_widens_a_page(browser, live_server, demo_library, viewport):
    from cases.cache import bump_library_version
    from cases.models import CaseStudyPage
    from commonground.members.models import MemberProfile
    from commonground.members.profiles import create_profile
    from search.service import get_search_service
    from tests.contribute.conftest import make_user

    case = CaseStudyPage.objects.live().order_by("pk").first()
    case.summary = f"{LONG} {LONG_URL}"
    case.title = "Long " + "T" * 120
    case.save_revision().publish()
    get_search_service().rebuild()
    bump_library_version()
    member = make_user("long@example.org")
    create_profile(member, "N" * 100)
    MemberProfile.objects.filter(user=member).update(bio=LONG, role=LONG_URL[:120])
    handle = MemberProfile.objects.get(user=member).handle

    context, page = new_page(browser, viewport)
    for path in [case.url, "/cases/", f"/search/?q={'W' * 30}", f"/members/{handle}/"]:
        page.goto(live_server.url + path)
        if path in (case.url, f"/members/{handle}/"):
            assert page.get_by_text("WWWW").first.is_visible(), path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (path, width)
    context.close()
