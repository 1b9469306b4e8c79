"""A member's public profile. The account itself (email, password) is allauth's."""

from django_countries.fields import CountryField

from django.conf import settings
from django.db import models
from django.urls import reverse


class MemberProfile(models.Model):
    """What other people may see of a member; the email address is never part of it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    handle = models.SlugField(max_length=60, unique=True)
    display_name = models.CharField(max_length=100)
    organisation = models.CharField(max_length=200, blank=True)
    country = CountryField(blank=True)
    role = models.CharField(max_length=120, blank=True)
    bio = models.TextField(max_length=600, blank=True)
    avatar = models.ImageField(upload_to="members/avatars/", blank=True)
    # The interface language the member chose (commonground/languages.py): applied at
    # sign-in, and the language of every e-mail they get. Blank until they choose.
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("members:profile", args=[self.handle])
