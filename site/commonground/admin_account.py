"""Wagtail's account page (/admin/account/, routed in commonground/urls.py) held to the
site's rules: the profile picture goes through checked_image() like every image (Wagtail
stored it as uploaded, GPS included), names stay on one line like every name, and the
e-mail address is not on it at all (WAGTAIL_EMAIL_MANAGEMENT_ENABLED is off): staff change
their address at /accounts/email/, where the new one must be verified first. The language
offered is the member's own (the site's five), the one setting the site's switcher also
changes; Wagtail's preferred language is kept as its copy (commonground/languages.py)."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.account import LocalePreferencesForm, NameEmailForm
from wagtail.admin.views import account

from commonground.image_forms import CheckedAvatarForm
from commonground.languages import (
    remember_language,
    set_language_cookie,
    stored_language,
    supported,
)
from commonground.text import SingleLineField


class NameForm(NameEmailForm):
    first_name = SingleLineField(required=True, max_length=150, label=_("First name"))
    last_name = SingleLineField(required=True, max_length=150, label=_("Last name"))


class NamePanel(account.NameEmailSettingsPanel):
    form_class = NameForm


class CheckedAvatarPanel(account.AvatarSettingsPanel):
    form_class = CheckedAvatarForm
    template_name = "commonground/account_avatar_panel.html"  # Wagtail's shows no error


class LanguageForm(LocalePreferencesForm):
    """The member's language in place of Wagtail's own list of some forty."""

    preferred_language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language"))

    class Meta(LocalePreferencesForm.Meta):
        fields = ["current_time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.initial["preferred_language"] = (
            stored_language(user) or supported(get_language()) or settings.LANGUAGE_CODE
        )

    def save(self, commit=True):
        # Other panels save the same UserProfile object: its copy is set here before they do.
        remember_language(
            self.instance.user, self.cleaned_data["preferred_language"], self.instance
        )
        return super().save(commit)


class LanguagePanel(account.LocaleSettingsPanel):
    form_class = LanguageForm


class AccountView(account.AccountView):
    PANELS = {
        account.AvatarSettingsPanel: CheckedAvatarPanel,
        account.NameEmailSettingsPanel: NamePanel,
        account.LocaleSettingsPanel: LanguagePanel,
    }

    def get_panels(self):
        return [
            self.PANELS[type(panel)](panel.request, panel.user, panel.profile)
            if type(panel) in self.PANELS
            else panel
            for panel in super().get_panels()
        ]

    def post(self, request):
        response = super().post(request)
        code = supported(request.POST.get(f"{LanguagePanel.name}-preferred_language"))
        if response.status_code == 302 and code:
            # Saved: the site's own pages follow at once, as after the site's switcher.
            set_language_cookie(response, code)
        return response
