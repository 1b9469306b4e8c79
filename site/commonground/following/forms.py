from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.following.models import DigestSettings


class DigestSettingsForm(forms.ModelForm):
    class Meta:
        model = DigestSettings
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}
        labels = {"frequency": _("How often")}
        help_texts = {
            "frequency": _(
                "One e-mail with the cases published or substantially updated since the last "
                "one, in what you follow. Nothing is sent when there is nothing new."
            )
        }
