"""`make admin`: Django's createsuperuser, asking for an e-mail address (members sign in with
it) and making an administrator who can sign in at once and moderates
(cases.moderators.make_moderating_admin)."""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser
from django.core.management import CommandError
from django.db.models.signals import post_save

from cases.moderators import make_moderating_admin
from commonground.members.addresses import is_taken

NEEDS_EMAIL = "An e-mail address is needed: administrators sign in with it."
TAKEN = "This e-mail address already belongs to an account."


class Command(createsuperuser.Command):
    help = "Creates a superuser who can sign in at once and moderates contributions."

    def get_input_data(self, field, message, default=None):
        value = super().get_input_data(field, message, default)
        if field.name == "email" and value is not None:
            problem = self.email_problem(value)
            if problem:
                self.stderr.write(f"Error: {problem}")
                return None
        return value

    @staticmethod
    def email_problem(email) -> str:
        if not (email or "").strip():
            return NEEDS_EMAIL
        if is_taken(email.strip()):
            return TAKEN
        return ""

    def handle(self, *args, **options):
        if not options["interactive"]:
            problem = self.email_problem(
                options.get("email") or os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
            )
            if problem:
                raise CommandError(problem)
        admins = []

        def note(sender, instance, created, raw=False, **kwargs):
            if created and not raw and instance.is_superuser:
                admins.append(instance)

        post_save.connect(note, sender=get_user_model(), weak=False, dispatch_uid="make-admin")
        try:
            super().handle(*args, **options)
        finally:
            post_save.disconnect(sender=get_user_model(), dispatch_uid="make-admin")
        for user in admins:
            make_moderating_admin(user)
