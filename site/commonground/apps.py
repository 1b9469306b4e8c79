from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from wagtail.admin.apps import WagtailAdminAppConfig
from wagtail.users.apps import WagtailUsersAppConfig


def sync_default_site(sender, **kwargs):
    """Point the default Wagtail Site at BASE_URL, so page.full_url, canonical links and the
    sitemap name the public address rather than the "localhost" the first migration used."""
    from wagtail.models import Site

    url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    port = url.port or (443 if url.scheme == "https" else 80)
    Site.objects.filter(is_default_site=True).exclude(hostname=url.hostname, port=port).update(
        hostname=url.hostname, port=port
    )
    Site.clear_site_root_paths_cache()


class CommonGroundConfig(AppConfig):
    default = True  # the app's own config, not the Wagtail users one below
    name = "commonground"
    verbose_name = _("Common Ground site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(sync_default_site, sender=self)
        from commonground.site_pages import connect_signals

        connect_signals()
        from commonground.page_cache import invalidation

        invalidation.connect()


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the site's user forms (commonground/staff_users.py)."""

    user_viewset = "commonground.staff_users.StaffUserViewSet"


class WagtailAdminConfig(WagtailAdminAppConfig):
    """Wagtail's admin, whose two e-mails on a submission become one per person, and whose
    workflow notices are written in their recipient's language (cases/moderators.py). Here
    because Wagtail connects its own in this ready()."""

    def ready(self):
        super().ready()
        from cases.moderators import install_notices

        install_notices()
