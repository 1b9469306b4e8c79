"""/robots.txt: public pages open to crawlers; the admin interfaces, accounts, the contribute
form, the language switcher and the API (the search API and the exports, for programs)
closed; the sitemap named by its public address.

Each closed section is named by a URL of it, so a moved route moves its line."""

from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from commonground.base_url import public_url

# A URL name in each section crawlers are kept out of: Wagtail's admin, the Django admin,
# accounts (sign-in, sign-up, a member's own pages), the contribute form, the language
# switcher, and the API (the search API, suggestions and the CSV and JSON Lines exports).
CLOSED = (
    "wagtailadmin_home",
    "admin:index",
    "account_login",
    "contribute:new",
    "set_language",
    "search:api",
)


def section(url_name: str) -> str:
    """The first path segment of a named URL, as a prefix: "/accounts/login/" -> "/accounts/"."""
    return "/" + reverse(url_name).strip("/").split("/")[0] + "/"


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {section(name)}" for name in CLOSED),
        "Allow: /",
        "",
        f"Sitemap: {public_url(reverse('sitemap'))}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    patch_cache_control(response, max_age=24 * 60 * 60)
    return response
