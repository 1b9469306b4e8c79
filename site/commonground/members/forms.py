"""Forms for signing up, editing a profile and deleting an account."""

import io
import uuid

from PIL import Image

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from commonground.honeypot import HoneypotMixin
from commonground.image_checks import count_member_check
from commonground.members.models import MemberProfile
from commonground.members.profiles import create_profile
from commonground.text import SingleLineField, refuse_control_characters
from commonground.uploads import ACCEPT_ATTRIBUTE, checked_image

AVATAR_SIZE = (256, 256)
AVATAR_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class SignupExtraForm(HoneypotMixin, forms.Form):
    """What allauth's signup form gets on top of email and password
    (ACCOUNT_SIGNUP_FORM_CLASS): the name other members see, and the honeypot."""

    field_order = ["display_name", "email", "password1", "password2", "homepage"]

    display_name = SingleLineField(
        label=_("Your name"),
        max_length=100,
        help_text=_("Shown on your public profile and on cases you contribute."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user):
        create_profile(user, self.cleaned_data["display_name"])


class ProfileForm(forms.ModelForm):
    """A member's own profile. Name, organisation and role are kept on one line (they appear
    in page titles, bylines and e-mails); the bio keeps its lines but no control characters.
    The avatar goes through the site's upload checks (commonground.uploads) and is then
    scaled down to 256 × 256 at most."""

    # The fieldset's legend says "Profile photo"; the field says what to do.
    avatar = forms.FileField(
        label=_("Choose a new photo"),
        required=False,
        help_text=_(
            "A JPEG, PNG, WebP or GIF image. It is shown at most 256 × 256 pixels; "
            "location and camera details are removed."
        ),
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my profile photo"), required=False)

    class Meta:
        model = MemberProfile
        fields = ["display_name", "organisation", "country", "role", "bio"]
        field_classes = {
            "display_name": SingleLineField,
            "organisation": SingleLineField,
            "role": SingleLineField,
        }
        labels = {
            "display_name": _("Your name"),
            "organisation": _("Organisation"),
            "role": _("Role"),
            "bio": _("About you"),
        }
        help_texts = {
            "organisation": _("For example: Greater Manchester Police."),
            "role": _("For example: Digital communications officer."),
            "bio": _("Up to 600 characters, plain text."),
        }
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "role": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "bio": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A label a person can read instead of Django's "---------"; the country is optional.
        country = self.fields["country"]
        country.choices = [("", _("Choose a country"))] + [
            choice for choice in country.choices if choice[0]
        ]

    def clean_bio(self):
        bio = self.cleaned_data["bio"]
        refuse_control_characters(bio)
        return bio

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload:
            return None
        count_member_check(self.instance.user)
        return resized_avatar(checked_image(upload))

    def save(self, commit=True):
        profile = super().save(commit=False)
        avatar = self.cleaned_data.get("avatar")
        old = profile.avatar.name if profile.avatar else ""
        if avatar is not None:
            profile.avatar.save(avatar.name, avatar, save=False)
        elif self.cleaned_data.get("remove_avatar"):
            profile.avatar = ""
        if commit:
            profile.save()
            if old and old != (profile.avatar.name or ""):
                profile.avatar.storage.delete(old)
        return profile


def resized_avatar(image_file) -> ContentFile:
    """`image_file` (already checked and stripped of metadata) scaled to fit 256 × 256,
    in its own format when that is JPEG, PNG or WebP, otherwise (GIF) its first frame as PNG."""
    image_file.seek(0)
    with Image.open(image_file) as image:
        image_format = image.format if image.format in AVATAR_FORMATS else "PNG"
        image.load()
        image.thumbnail(AVATAR_SIZE, Image.Resampling.LANCZOS)
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        elif image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        buffer = io.BytesIO()
        options = {"quality": 85} if image_format in ("JPEG", "WEBP") else {}
        image.save(buffer, image_format, **options)
    name = f"{uuid.uuid4().hex}.{AVATAR_FORMATS[image_format]}"
    return ContentFile(buffer.getvalue(), name=name)


class DeleteAccountForm(forms.Form):
    KEEP = "keep"
    WITHDRAW = "withdraw"

    contributions = forms.ChoiceField(
        label=_("Your published contributions"),
        choices=[
            (KEEP, _("Keep them in the library, credited to “former member”")),
            (WITHDRAW, _("Withdraw them: unpublish every case I contributed")),
        ],
        initial=KEEP,
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("Your password"),
        help_text=_("To confirm it is you."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your password."))
        return password

    def clean(self):
        cleaned = super().clean()
        if self.user.is_superuser:
            others = (
                get_user_model()
                .objects.filter(is_superuser=True, is_active=True)
                .exclude(pk=self.user.pk)
            )
            if not others.exists():
                raise ValidationError(
                    _(
                        "This is the site’s only administrator account, so it cannot be "
                        "deleted. Make another account an administrator first."
                    )
                )
        return cleaned
