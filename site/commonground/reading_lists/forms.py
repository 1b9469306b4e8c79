"""Naming a reading list."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commonground.reading_lists.lists import check_can_add_list
from commonground.reading_lists.models import NAME_LENGTH, ReadingList
from commonground.text import SingleLineField


class ListNameForm(forms.Form):
    """A new list's name (`reading_list` None) or a list's new name; names are unique for
    the member, whatever their case."""

    name = SingleLineField(label=_("List name"), max_length=NAME_LENGTH)

    def __init__(self, *args, owner, reading_list: ReadingList | None = None, **kwargs):
        self.owner = owner
        self.reading_list = reading_list
        super().__init__(*args, **kwargs)
        if reading_list is not None:
            self.fields["name"].label = _("New name")

    def clean_name(self):
        name = self.cleaned_data["name"]
        others = ReadingList.objects.filter(owner=self.owner, is_default=False)
        if self.reading_list is not None:
            others = others.exclude(pk=self.reading_list.pk)
        if others.filter(name__iexact=name).exists():
            raise ValidationError(_("You already have a list with this name."))
        return name

    def clean(self):
        if self.reading_list is None:
            check_can_add_list(self.owner)
        return super().clean()

    def save(self) -> ReadingList:
        if self.reading_list is None:
            return ReadingList.objects.create(owner=self.owner, name=self.cleaned_data["name"])
        self.reading_list.name = self.cleaned_data["name"]
        self.reading_list.save(update_fields=["name"])
        return self.reading_list
