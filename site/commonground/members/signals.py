"""Every account has a profile: one is made as soon as a user is created, however."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from commonground.members.profiles import ensure_profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="members-profile-for-user")
def profile_for_new_user(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_profile(instance)
