"""The interface language: which one a visitor sees, how they choose it and how it is kept.

A first visit follows the browser's Accept-Language (LocaleMiddleware); the switcher
(templates/components/language_switcher.html) posts to `choose_language`, which sets
Django's language cookie and, for a signed-in member, keeps the choice on their profile.
At sign-in the stored choice is applied again (the adapter's post_login), so it follows
the member to another browser. E-mails go out in their recipient's stored language
(`recipient_language`), whoever caused them. URLs carry no language prefix.

The member's language (MemberProfile.language) is the one setting. Wagtail reads its own
UserProfile.preferred_language (the admin's language, its notices, the userbar): that is a
copy written only by `remember_language`, and the admin's account page edits the member's
language through it (commonground/admin_account.py), so the two cannot be set apart.
Moderators' notices read the member's language itself (cases/moderators.py).
"""

from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from wagtail.admin.localization import get_available_admin_languages


def supported(code: str | None) -> str | None:
    """`code` as one of settings.LANGUAGES ("fr-BE" -> "fr"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def stored_language(user) -> str | None:
    """The language a member chose on the site, if any."""
    profile = getattr(user, "profile", None) if user is not None else None
    return supported(getattr(profile, "language", "")) if profile is not None else None


def admin_language(code: str | None) -> str:
    """Wagtail's admin language for one of the site's ("en-gb" is Wagtail's "en"), or ""."""
    available = dict(get_available_admin_languages())
    for candidate in (code or "", (code or "").split("-")[0]):
        if candidate in available:
            return candidate
    return ""


def remember_language(user, code: str, wagtail_profile=None) -> None:
    """Keep a signed-in member's choice on their profile, and copy it to Wagtail's preferred
    language, so Wagtail's own notices to them (and the admin) follow it. `wagtail_profile`:
    the user's Wagtail UserProfile object a form holds, kept in step as well."""
    from wagtail.users.models import UserProfile

    from commonground.members.profiles import ensure_profile

    profile = ensure_profile(user)
    if profile.language != code:
        profile.language = code
        profile.save(update_fields=["language"])
    admin_code = admin_language(code)
    wagtail_profile = wagtail_profile or UserProfile.get_for_user(user)
    if wagtail_profile.preferred_language != admin_code:
        wagtail_profile.preferred_language = admin_code
        wagtail_profile.save(update_fields=["preferred_language"])


def set_language_cookie(response, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _passes_csrf(request) -> bool:
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}) is None


@csrf_exempt
@require_POST
def choose_language(request):
    """Django's set_language (cookie, then back to `next`), remembered on a signed-in
    member's profile.

    The form is on every page, so it carries no CSRF token for visitors: a token would set
    the CSRF cookie on every public page and make identical pages differ. A forged post can
    at worst change a visitor's language cookie. A member's stored language changes only
    with the token (the switcher carries one for signed-in members)."""
    code = supported(request.POST.get("language"))
    # Only the site's languages reach the cookie ("fr-BE" is kept as "fr"; Italian, which
    # Django itself could show, is not offered here).
    request.POST = request.POST.copy()
    request.POST["language"] = code or ""
    response = set_language(request)
    if code and request.user.is_authenticated and _passes_csrf(request):
        remember_language(request.user, code)
    return response


def apply_member_language(request, user, response):
    """At sign-in: the member's stored language becomes the interface language (for the
    rest of this request and, through the cookie, from now on). A member with none stored
    keeps what they are reading now, which is stored for them."""
    code = stored_language(user)
    if code is None:
        code = supported(translation.get_language())
        if code:
            remember_language(user, code)
        return response
    translation.activate(code)
    request.LANGUAGE_CODE = code
    if response is not None:
        set_language_cookie(response, code)
    return response


def recipient_language(email: str | None = None, user=None) -> str:
    """The language to write to a recipient in: their stored language when the address
    (or `user`) is a member's, else the language active now, else the site's default."""
    if user is None and email:
        user = (
            get_user_model()
            .objects.filter(emailaddress__email__iexact=email)
            .select_related("profile")
            .first()
            or get_user_model()
            .objects.filter(email__iexact=email)
            .select_related("profile")
            .first()
        )
    return stored_language(user) or supported(translation.get_language()) or settings.LANGUAGE_CODE


def notice_language(user) -> str:
    """The language to write to a member in about something someone else did (a
    contribution sent for review): their stored language, else the site's default, never
    the language of whoever caused it."""
    return stored_language(user) or settings.LANGUAGE_CODE


@contextmanager
def written_for(email: str | None = None, user=None):
    """Render what is inside in the recipient's language."""
    with translation.override(recipient_language(email, user)):
        yield
