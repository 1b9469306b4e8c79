"""Wagtail's user admin (Settings > Users) without required first and last names: Wagtail's
forms require both, so putting a member who never gave them (members have a display name
instead, see members/profiles.member_name) into Moderators failed until someone made names
up. Names stay optional and on one line, as on the account page."""

from django.utils.translation import gettext_lazy as _

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

from commonground.text import SingleLineField


def optional_name(label):
    return SingleLineField(required=False, max_length=150, label=label)


class StaffCreationForm(UserCreationForm):
    first_name = optional_name(_("First name"))
    last_name = optional_name(_("Last name"))


class StaffEditForm(UserEditForm):
    first_name = optional_name(_("First name"))
    last_name = optional_name(_("Last name"))


class StaffUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return StaffEditForm if for_update else StaffCreationForm
