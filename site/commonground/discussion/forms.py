from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.discussion.models import BODY_LENGTH, Report
from commonground.text import refuse_control_characters


class BodyForm(forms.Form):
    body = forms.CharField(
        label=_("Your text"),
        max_length=BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text; line breaks are kept, links are not clickable."),
    )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        refuse_control_characters(body)
        return body


class QuestionForm(BodyForm):
    body = forms.CharField(
        label=_("Your question"),
        max_length=BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=BodyForm.base_fields["body"].help_text,
    )


class AnswerForm(BodyForm):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=BodyForm.base_fields["body"].help_text,
    )


class MessageForm(BodyForm):
    body = forms.CharField(
        label=_("Your message"),
        max_length=BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Sent by e-mail through the site: neither of you sees the other's address."),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should a moderator look at this?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label=_("Anything to add (optional)"), max_length=300, required=False
    )
