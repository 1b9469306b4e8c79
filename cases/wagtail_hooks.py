"""Registers the taxonomy as snippets, grouped in one admin menu, makes the admin's CSV
downloads follow the site's cell rule (cases.interchange.spreadsheet), serves the library
page through the library view, lists contributions awaiting review for moderators
(cases/review_queue.py), and tells administrators on the dashboard who hears of new
contributions."""

from django.contrib.auth.models import Group

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cases import moderators
from cases.interchange import spreadsheet
from cases.models import CaseIndexPage, Organisation, Platform, Theme
from cases.review_queue import AwaitingReviewViewSet
from cases.views import library

spreadsheet.guard_admin_exports()


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug", "description"]
    search_fields = ["name"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "country", "website"]
    list_filter = ["country"]
    search_fields = ["name"]


class PlatformViewSet(SnippetViewSet):
    model = Platform
    icon = "mobile-alt"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = "Taxonomy"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (ThemeViewSet, OrganisationViewSet, PlatformViewSet)


register_snippet(TaxonomyGroup)


@hooks.register("register_admin_viewset")
def register_review_queue():
    """Contributions awaiting review, for moderators (cases/review_queue.py)."""
    return AwaitingReviewViewSet()


@hooks.register("on_serve_page", order=100)  # innermost: after Wagtail's privacy checks
def serve_the_library(serve):
    """The library page (a CaseIndexPage) is answered by its view, which filters, counts
    and pages the cases; every other page serves itself."""

    def serve_page(page, request, args, kwargs):
        if isinstance(page, CaseIndexPage):
            return library(request, page)
        return serve(page, request, args, kwargs)

    return serve_page


class ModerationNoticesPanel(Component):
    """Who Wagtail e-mails when a contribution is sent for review, or a warning that nobody
    will be told: setting up moderation should not depend on knowing Wagtail's rules."""

    name = "moderation_notices"
    template_name = "cases/admin/moderation_notices_panel.html"
    order = 210  # just above Wagtail's "Awaiting your review"

    def get_context_data(self, parent_context):
        group = Group.objects.filter(name=moderators.GROUP).first()
        return {
            "recipients": moderators.notified_of_submissions(),
            "moderators": group is not None and group.user_set.filter(is_active=True).exists(),
        }


@hooks.register("construct_homepage_panels")
def show_who_hears_of_contributions(request, panels):
    if request.user.is_superuser:
        panels.append(ModerationNoticesPanel())
