"""The Django admin (/django-admin/) keeps accounts and sign-in records only.

Wagtail's images and documents register themselves there too, and an upload through that
admin would skip checked_image() (the one check every image goes through) and keep the
file's GPS location. They are managed in Wagtail's admin (/admin/), so they are taken out.
"""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin, less the models listed in WITHOUT (in INSTALLED_APPS instead
    of "django.contrib.admin")."""

    WITHOUT = ("wagtailimages.Image", "wagtaildocs.Document")

    def ready(self):
        super().ready()  # imports every app's admin module: Wagtail's register these two
        from django.contrib import admin

        for label in self.WITHOUT:
            try:
                model = self.apps.get_model(label)
            except LookupError:  # that app is not installed
                continue
            if admin.site.is_registered(model):
                admin.site.unregister(model)
