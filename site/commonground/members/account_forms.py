"""allauth's signup and password forms with the site's rule on who holds an address
(commonground.members.addresses), and keeping the passwords typed when a form comes back with
an error; ACCOUNT_FORMS points here. A module of its own because allauth's forms build their
signup base from ACCOUNT_SIGNUP_FORM_CLASS in members/forms.py."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import (
    ChangePasswordForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
    SetPasswordForm,
    SignupForm,
)

from django import forms
from django.contrib.auth.hashers import make_password

from commonground.members.addresses import is_taken, verified_holders


class KeepsTypedPasswords:
    """A form shown again with an error keeps what was typed, passwords included: the second
    password missing must not clear the first (the sign-in form is not one of these)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.PasswordInput):
                field.widget.render_value = True


class MemberSignupForm(KeepsTypedPasswords, SignupForm):
    """An address is taken only when it belongs to an account: an unverified claim to it
    (somebody's pending change of address, a signup never confirmed) does not stop its
    holder from joining. A taken address still looks like a new signup to the visitor
    (its owner is e-mailed instead, ACCOUNT_PREVENT_ENUMERATION)."""

    def validate_unique_email(self, value):
        self.account_already_exists = is_taken(value)
        return get_adapter().validate_unique_email(value)

    def clean(self):
        """A new account costs a password hash; a taken address would answer without one,
        several times faster, so its owner's password is hashed for nothing here too."""
        cleaned = super().clean()
        if getattr(self, "account_already_exists", False) and not self.errors:
            make_password(cleaned.get("password1") or "")
        return cleaned


class VerifiedAddressResetPasswordForm(ResetPasswordForm):
    """Sends a reset link only to an address verified on an active account: a link sent to a
    pending, unverified address handed the account to whoever held it. Any other address gets
    allauth's "no account with this address" e-mail, and the requester sees the same page."""

    def clean_email(self):
        email = super().clean_email()
        self.users = verified_holders(email)
        return email


class MemberResetPasswordKeyForm(KeepsTypedPasswords, ResetPasswordKeyForm):
    pass


class MemberChangePasswordForm(KeepsTypedPasswords, ChangePasswordForm):
    pass


class MemberSetPasswordForm(KeepsTypedPasswords, SetPasswordForm):
    pass
