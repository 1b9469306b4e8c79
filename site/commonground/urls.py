from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap

from commonground.admin_account import AccountView
from commonground.languages import choose_language
from commonground.robots import robots_txt

# allauth answers rate-limited requests with this view (a styled 429 page).
handler429 = "commonground.members.views.rate_limited"
handler400 = "commonground.errors.bad_request"

urlpatterns = [
    # Staff sign in through allauth's rate-limited login, never through the login forms of
    # Wagtail or the Django admin (which have no rate limit).
    path(
        "django-admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    path("django-admin/", admin.site.urls),
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    # Wagtail's account page, with the profile picture checked like every image. Wagtail
    # guards its own admin URLs with require_admin_access (sign-in, admin access, the
    # admin's language and time zone); this one, routed before them, needs it too.
    path("admin/account/", require_admin_access(AccountView.as_view())),
    path("admin/", include(wagtailadmin_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # The language switcher posts here (no language prefix in any URL).
    path("language/", choose_language, name="set_language"),
    path("accounts/", include("commonground.members.account_urls")),
    path("accounts/", include("commonground.following.urls")),
    path("", include("commonground.reading_lists.urls")),
    path("accounts/", include("allauth.urls")),
    path("members/", include("commonground.members.urls")),
    path("contribute/", include("cases.contribute.urls")),
    path("discussion/", include("commonground.discussion.urls")),
    path("", include("cases.urls")),
    path("", include("search.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
