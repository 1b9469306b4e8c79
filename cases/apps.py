from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Case library"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cases.contribute import notify

        notify.connect()
