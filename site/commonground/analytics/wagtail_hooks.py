"""The report's place in the admin (Reports > What people look for), its permission in
the group editor, and the count of case page views."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cases.models import CaseStudyPage
from commonground.analytics import views
from commonground.analytics.recording import count_view


@hooks.register("register_admin_urls")
def analytics_urls():
    return [
        path("what-people-look-for/", views.report, name="search_analytics"),
        path(
            "what-people-look-for/<slug:table>.csv",
            views.report_csv,
            name="search_analytics_csv",
        ),
        path("what-people-look-for/promote/", views.promote, name="search_analytics_promote"),
    ]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.PERMISSION)


@hooks.register("register_reports_menu_item")
def analytics_menu_item():
    return ReportMenuItem(
        _("What people look for"),
        reverse("search_analytics"),
        name="what-people-look-for",
        icon_name="search",
        order=1290,
    )


@hooks.register("register_permissions")
def analytics_permission():
    return Permission.objects.filter(
        content_type__app_label="analytics", codename="view_search_analytics"
    )


@hooks.register("before_serve_page")
def count_case_view(page, request, serve_args, serve_kwargs):
    if isinstance(page, CaseStudyPage):
        count_view(request, page)


@hooks.register("construct_reports_menu", order=100)
def hide_wagtail_search_terms(request, menu_items):
    """Wagtail's own "Search terms" report counts hits the site never records (it keeps
    the daily counters above instead): one report of what people search for, not two."""
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]
