from django.apps import AppConfig


class MembersConfig(AppConfig):
    """Member accounts (django-allauth) and public profiles at /members/<handle>/."""

    name = "commonground.members"
    label = "members"
    verbose_name = "Members"

    def ready(self):
        from commonground.members import signals  # noqa: F401
