"""A honeypot field for public forms: people never see it, form-filling bots fill it in."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "homepage"


class HoneypotField(forms.CharField):
    """Hidden from people (CSS and aria-hidden) and skipped by keyboard; must stay empty."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(
                attrs={"tabindex": "-1", "autocomplete": "off", "class": "honeypot__input"}
            ),
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        if value:
            raise ValidationError(_("This form could not be sent. Please try again."))
        return value


class HoneypotMixin(forms.Form):
    """Adds the honeypot field; render it with {% include "components/honeypot.html" %}."""

    homepage = HoneypotField()
