from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadingListsConfig(AppConfig):
    name = "commonground.reading_lists"
    label = "reading_lists"
    verbose_name = _("Reading lists")
    default_auto_field = "django.db.models.BigAutoField"
