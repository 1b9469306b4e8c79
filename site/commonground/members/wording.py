"""allauth's Title Case wording, in the site's sentence case.

allauth writes headings, buttons and e-mail subjects in Title Case ("Change Password",
"Please Confirm Your Email Address"). Rather than copy its templates, the site's British
English catalogue (locale/en_GB) translates these strings into sentence case; the project's
catalogues take precedence over allauth's (LOCALE_PATHS). Listed here so that `make
messages` keeps them in every catalogue. In Dutch, French, German and Spanish allauth's own
translations apply unless the site's catalogue gives one, or locale_overrides/ puts them in
the formal register.
"""

from django.utils.translation import gettext_noop

ALLAUTH_TITLE_CASE = [
    # Pages
    gettext_noop("Sign In"),
    gettext_noop("Sign Up"),
    gettext_noop("Signup"),
    gettext_noop("Sign Out"),
    gettext_noop("Password Reset"),
    gettext_noop("Reset My Password"),
    gettext_noop("Change Password"),
    gettext_noop("Set Password"),
    gettext_noop("Bad Token"),
    gettext_noop("Email Address"),
    gettext_noop("Email Addresses"),
    gettext_noop("Change Email"),
    gettext_noop("Cancel Change"),
    gettext_noop("Re-send Verification"),
    gettext_noop("Make Primary"),
    gettext_noop("Add Email"),
    gettext_noop("Add Email Address"),
    gettext_noop("Verify Your Email Address"),
    gettext_noop("Confirm Email Address"),
    gettext_noop("Confirm Access"),
    gettext_noop("Account Inactive"),
    # E-mail subjects
    gettext_noop("Account Already Exists"),
    gettext_noop("Email Changed"),
    gettext_noop("Email Confirmation"),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop("Email Removed"),
    gettext_noop("Password Changed"),
    gettext_noop("Password Reset Email"),
    gettext_noop("Password Set"),
    gettext_noop("Unknown Account"),
    # The sign-in form's own hint, should it ever show: one wording for one link.
    gettext_noop("Forgot your password?"),
]
