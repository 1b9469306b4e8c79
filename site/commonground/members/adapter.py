"""The site's allauth adapter (ACCOUNT_ADAPTER): who may confirm a change of address, the
client address that rate limits are keyed on, the verification step of signing up, the
member's language at sign-in, and e-mails written for their recipient."""

import ipaddress
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

from allauth.account.adapter import DefaultAccountAdapter

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonground.base_url import public_url
from commonground.languages import apply_member_language, written_for
from commonground.members.addresses import drop_other_claims, is_change_of_address

SIGN_IN_TO_CONFIRM = _(
    "This link changes the email address of an existing account. Sign in to that account, "
    "then confirm the new address."
)
ALLAUTH_VERIFICATION_STAGE = "allauth.account.stages.EmailVerificationStage"


def site_identity() -> SimpleNamespace:
    """What allauth's e-mails call the site (`current_site`): its name and the host of
    BASE_URL, never the Host header of the request that caused the e-mail."""
    base = public_url()
    return SimpleNamespace(name=settings.WAGTAIL_SITE_NAME, domain=urlsplit(base).netloc, url=base)


def public_links(request, context: dict) -> dict:
    """Links allauth built from the request's own address, moved to BASE_URL."""
    if request is None:
        return context
    origin = request.build_absolute_uri("/").rstrip("/")
    base = public_url()
    return {
        key: base + value[len(origin) :]
        if key.endswith("_url") and isinstance(value, str) and value.startswith(origin + "/")
        else value
        for key, value in context.items()
    }


def signed_in_as(request, user_id) -> bool:
    return request.user.is_authenticated and request.user.pk == user_id


class MemberAccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Anyone can lock an address out with five wrong passwords; a password reset clears
        # the lock at once (allauth forgets the failures), so the owner is told so.
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts with this address. Try again in a few minutes, "
            "or reset your password to sign in straight away."
        ),
    }

    def confirm_email(self, request, email_address) -> bool:
        """A change of address is confirmed only by its owner, signed in: the link goes to
        the new address, whose holder may be somebody else (a typo, a lapsed work address).
        Once an address is verified here, other accounts' unverified claims to it go."""
        if is_change_of_address(email_address) and not signed_in_as(
            request, email_address.user_id
        ):
            messages.error(request, SIGN_IN_TO_CONFIRM)
            return False
        try:
            with transaction.atomic():
                confirmed = super().confirm_email(request, email_address)
                if confirmed:
                    drop_other_claims(email_address)
        except IntegrityError:  # verified on another account at the same moment
            self.add_message(
                request,
                messages.ERROR,
                "account/messages/email_confirmation_failed.txt",
                {"email": email_address.email},
            )
            return False
        return confirmed

    def get_email_verification_redirect_url(self, email_address) -> str:
        """A change of address refused for want of its owner sends the visitor to sign in,
        then back to the link."""
        if (
            not email_address.verified
            and is_change_of_address(email_address)
            and not signed_in_as(self.request, email_address.user_id)
        ):
            return f"{reverse('account_login')}?{urlencode({'next': self.request.path})}"
        return super().get_email_verification_redirect_url(email_address)

    def get_client_ip(self, request) -> str:
        """allauth's client address: from X-Forwarded-For past ALLAUTH_TRUSTED_PROXY_COUNT
        proxies, or from ALLAUTH_TRUSTED_CLIENT_IP_HEADER, otherwise REMOTE_ADDR. A request
        that did not come through every trusted proxy (fewer X-Forwarded-For entries than
        proxies, which allauth answers with ImproperlyConfigured, a 500) or whose header is
        missing or malformed is keyed on the address that connected, which it cannot choose."""
        try:
            return super().get_client_ip(request)
        except (ImproperlyConfigured, PermissionDenied):
            try:
                return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
            except ValueError:
                raise PermissionDenied("Unable to determine client IP address") from None

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with the site's e-mail verification step (members/stages.py)."""
        return [
            "commonground.members.stages.EmailVerificationStage"
            if stage == ALLAUTH_VERIFICATION_STAGE
            else stage
            for stage in super().get_login_stages()
        ]

    def post_login(self, request, user, **kwargs):
        """The member's stored language applies from sign-in on (commonground/languages.py)."""
        response = super().post_login(request, user, **kwargs)
        return apply_member_language(request, user, response)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every account e-mail in its recipient's language, naming the site and linking to
        BASE_URL."""
        from allauth.core import context as allauth_context

        context = {**public_links(allauth_context.request, context)}
        context["current_site"] = site_identity()
        with written_for(email):
            super().send_mail(template_prefix, email, context)
