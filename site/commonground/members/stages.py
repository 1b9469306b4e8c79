"""The e-mail verification step of signing up or in (registered by the adapter's
get_login_stages in place of allauth's)."""

from allauth.account import stages
from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.email_verification import (
    consume_email_verification_rate_limit,
    get_address_for_login,
)
from allauth.account.utils import has_verified_email

from django.contrib import messages


class EmailVerificationStage(stages.EmailVerificationStage):
    """allauth's step, answering the same whether or not the verification e-mail goes out.
    allauth holds the e-mail back for a while after the last one to the same address
    (ACCOUNT_RATE_LIMITS["confirm_email"]), and with it the "Confirmation e-mail sent to …"
    message, so a second signup with an address looked different from a first one: a
    stranger could tell that somebody had just used it."""

    def handle(self):
        email = self.address_to_verify()
        held_back = bool(email) and not consume_email_verification_rate_limit(
            self.request, email, dry_run=True
        )
        response, cont = super().handle()
        if response and held_back:
            get_adapter(self.request).add_message(
                self.request,
                messages.INFO,
                "account/messages/email_confirmation_sent.txt",
                {"email": email, "login": not self.login.signup, "signup": self.login.signup},
            )
        return response, cont

    def address_to_verify(self) -> str | None:
        """The address allauth will send the verification e-mail to, if it sends one."""
        login = self.login
        if not login.user:
            return login.email  # a signup with a taken address (enumeration prevention)
        if has_verified_email(login.user, login.email):
            return None
        address = get_address_for_login(login)
        return address.email if address else None
