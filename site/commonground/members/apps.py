from django.apps import AppConfig


class MembersConfig(AppConfig):
    """Member accounts (django-allauth) and public profiles at /members/<handle>/."""

    name = "commonground.members"
    label = "members"
    verbose_name = "Members"

    def ready(self):
        from django.contrib.auth import get_user_model

        from commonground.members import signals  # noqa: F401
        from commonground.members.profiles import member_name

        # Every name Wagtail shows or e-mails (the moderators' queue, its notices, the user
        # listing) comes from get_full_name() or get_short_name(): the member's own name.
        get_user_model().add_to_class("get_full_name", member_name)
        get_user_model().add_to_class("get_short_name", member_name)  # "Hello …," in notices
