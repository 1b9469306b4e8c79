"""The "We tried this too" form: the same organisation matching, countries, partial date and
verdict vocabularies as the contribution form, and its error summary."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases import limits
from cases.choices import Evidence, Result
from cases.contribute.forms import (
    ORGANISATION_OPTIONS,
    ContributionForm,
    announce_errors,
    country_choices,
)
from cases.contribute.partial_date import PARTS, PartialDateField, part_widgets
from cases.models import Organisation, Replication
from commonground.honeypot import HoneypotMixin
from commonground.text import SingleLineField, refuse_control_characters


class ReplicationForm(HoneypotMixin, forms.Form):
    organisation = SingleLineField(
        label=_("Your organisation"),
        max_length=limits.ORGANISATION,
        widget=forms.TextInput(attrs={"list": ORGANISATION_OPTIONS, "autocomplete": "off"}),
        help_text=_("The force or organisation that tried it. Short names such as GMP work too."),
        error_messages={"required": _("Give the organisation that tried it.")},
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=country_choices,
        error_messages={"required": _("Choose the country.")},
    )
    tried = PartialDateField(
        label=_("When you tried it"),
        help_text=_("The year is enough; add the month, and the day, if you know them."),
    )
    changes = forms.CharField(
        label=_("What you changed"),
        max_length=limits.REPLICATION_CHANGES,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[refuse_control_characters],
        help_text=_(
            "How your version differed from the case: the place, the people, the platform."
        ),
        error_messages={"required": _("Say what you changed, or that you changed nothing.")},
    )
    result = forms.ChoiceField(
        label=_("Result"),
        choices=Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how it went.")},
    )
    evidence = forms.ChoiceField(
        label=_("How you know"),
        choices=Evidence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you know the result.")},
    )
    source_url = forms.URLField(
        label=_("Source link"),
        max_length=limits.SOURCE_URL,
        required=False,
        assume_scheme="https",
        help_text=_("A report or article about your version, if there is one."),
    )

    # The contribution form's summary of problems, each linked to its box.
    error_summary = ContributionForm.error_summary
    error_count_text = ContributionForm.error_count_text

    def full_clean(self):
        super().full_clean()
        announce_errors(self)

    def organisation_options(self) -> list[tuple[str, str]]:
        return Organisation.objects.suggestions()

    def date_parts(self) -> list[tuple]:
        parts = part_widgets(self["tried"])
        return [(label, part) for (_name, label), part in zip(PARTS, parts, strict=True)]

    def replication_for(self, page) -> Replication:
        """An unsaved replication of `page` from the cleaned data. The organisation is the
        public one the name matches, if any (a draft's proposed organisation is never
        shown by another name); a new name is kept as typed."""
        data = self.cleaned_data
        return Replication(
            page=page,
            organisation_name=data["organisation"],
            organisation=Organisation.objects.public().matching(data["organisation"]),
            country=data["country"],
            tried_on=data["tried"].date,
            tried_precision=data["tried"].precision,
            changes=data["changes"],
            result=data["result"],
            evidence=data["evidence"],
            source_url=data["source_url"],
        )
