"""The fields allauth writes out by hand ({% element field %}: the email change form, the email
list's radios) in the shape of a bound form field, so that components/form_field.html, the one
component for a form field, lays them out like every other field."""

from django import forms, template
from django.utils.safestring import mark_safe

register = template.Library()

# Attributes of allauth's {% element field %} passed on to the control as they are.
FLAGS = ("required", "disabled", "readonly", "checked")
VALUES = ("autocomplete", "placeholder", "rows")


class ElementField:
    """What components/form_field.html reads of a BoundField, from an allauth element's
    attributes (id, name, type, value, errors, …) and slots (label, help_text, value)."""

    def __init__(self, attrs, slots):
        self.attrs = attrs
        self.slots = slots
        self.auto_id = self.id_for_label = attrs.get("id")
        self.widget_type = attrs.get("type") or "text"
        self.is_hidden = self.widget_type == "hidden"
        self.use_fieldset = False
        self.label = self._slot("label")
        self.help_text = self._slot("help_text")
        self.errors = attrs.get("errors") or []
        # allauth does not say which of its hand-written fields may be left empty, and none of
        # them may: none is marked "(optional)". The required attribute is allauth's to set.
        self.field = forms.Field(required=True)

    def _slot(self, name):
        # A slot's content is template output, escaped when it was rendered.
        return mark_safe("".join(self.slots.get(name, ())).strip())  # nosec

    def __html__(self):
        """The control, written by Django's widget templates with the hint and error ids a
        BoundField's widget names (Django's order: hint, then errors)."""
        attrs = {"id": self.auto_id}
        attrs.update({flag: True for flag in FLAGS if self.attrs.get(flag)})
        attrs.update({key: self.attrs[key] for key in VALUES if self.attrs.get(key)})
        described_by = [f"{self.auto_id}_helptext"] if self.help_text else []
        if self.errors:
            attrs["aria-invalid"] = "true"
            described_by.append(f"{self.auto_id}_error")
        if described_by:
            attrs["aria-describedby"] = " ".join(described_by)
        if self.widget_type == "textarea":
            widget, value = forms.Textarea(), self._slot("value")
        else:
            widget, value = forms.TextInput(), self.attrs.get("value")
            widget.input_type = self.widget_type
        # A field shown only to be read (disabled) may have no name: it is never posted.
        return widget.render(self.attrs.get("name") or self.auto_id, value, attrs)

    __str__ = __html__


@register.simple_tag
def element_field(attrs, slots):
    """{% element_field attrs slots as field %} in allauth/elements/field.html."""
    return ElementField(attrs, slots)
