"""Wagtail's account page (/admin/account/, routed in commonground/urls.py) held to the
site's rules: the profile picture goes through checked_image() like every image (Wagtail
stored it as uploaded, GPS included), names stay on one line like every name, and the
e-mail address is not on it at all (WAGTAIL_EMAIL_MANAGEMENT_ENABLED is off): staff change
their address at /accounts/email/, where the new one must be verified first."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.account import NameEmailForm
from wagtail.admin.views import account

from commonground.image_forms import CheckedAvatarForm
from commonground.text import SingleLineField


class NameForm(NameEmailForm):
    first_name = SingleLineField(required=True, max_length=150, label=_("First name"))
    last_name = SingleLineField(required=True, max_length=150, label=_("Last name"))


class NamePanel(account.NameEmailSettingsPanel):
    form_class = NameForm


class CheckedAvatarPanel(account.AvatarSettingsPanel):
    form_class = CheckedAvatarForm
    template_name = "commonground/account_avatar_panel.html"  # Wagtail's shows no error


class AccountView(account.AccountView):
    PANELS = {
        account.AvatarSettingsPanel: CheckedAvatarPanel,
        account.NameEmailSettingsPanel: NamePanel,
    }

    def get_panels(self):
        return [
            self.PANELS[type(panel)](panel.request, panel.user, panel.profile)
            if type(panel) in self.PANELS
            else panel
            for panel in super().get_panels()
        ]
