from django.apps import AppConfig


class CommonGroundConfig(AppConfig):
    name = "commonground"
    verbose_name = "Common Ground site"
    default_auto_field = "django.db.models.BigAutoField"
