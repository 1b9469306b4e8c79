"""The Wagtail admin's image form (settings.WAGTAILIMAGES_IMAGE_FORM_BASE): images uploaded
by editors go through the same checked_image() as members' uploads, so they are stored
without EXIF (GPS location), XMP or comments, turned upright, under a safe name.

The form's file field checks a new upload with checked_image() first (size, type by
content, pixels, complete decoding; our messages) and hands Wagtail's own checks the
re-encoded copy. Checking first also keeps damaged files from reaching Willow, which
raises on a truncated JPEG instead of refusing it. It covers the add, edit,
multiple-upload and chooser-upload views, which all build their form with
wagtail.images.forms.get_image_form(). The profile picture on Wagtail's account page
(/admin/account/), which Wagtail stores as uploaded when it is at most 400 × 400, goes
through the same check (CheckedAvatarForm, used by commonground/admin_account.py). Kept
apart from commonground.uploads, which must stay importable before the app registry is
ready.
"""

from django import forms
from django.core.files.uploadedfile import UploadedFile

from wagtail.admin.forms.account import AvatarPreferencesForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from commonground.image_checks import count_admin_check
from commonground.uploads import ACCEPT_ATTRIBUTE, checked_image


class CheckedUpload:
    """For an image form field: a new upload goes through checked_image() before the
    field's own checks, which then see only the re-encoded copy. The form sets `uploader`,
    whose hourly image checks it counts (commonground/image_checks.py)."""

    uploader = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = ACCEPT_ATTRIBUTE

    def to_python(self, data):
        if isinstance(data, UploadedFile):  # a new upload, not the current file
            count_admin_check(self.uploader)
            data = checked_image(data)
        return super().to_python(data)


class CheckedWagtailImageField(CheckedUpload, WagtailImageField):
    pass


class CheckedImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        uploader = kwargs.get("user")  # Wagtail's views pass the signed-in user
        super().__init__(*args, **kwargs)
        # The field is built by Wagtail's formfield callback (a declared field would also
        # appear in the multiple uploader's edit form, which leaves the file out).
        field = self.fields.get("file")
        if field is not None and not isinstance(field, CheckedWagtailImageField):
            field = self.fields["file"] = CheckedWagtailImageField(
                label=field.label, required=field.required, widget=field.widget
            )
        if field is not None:
            field.uploader = uploader


class CheckedAvatarField(CheckedUpload, forms.ImageField):
    pass


class CheckedAvatarForm(AvatarPreferencesForm):
    avatar = CheckedAvatarField(
        label=AvatarPreferencesForm.base_fields["avatar"].label, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["avatar"].uploader = self.instance.user
