"""Registers the taxonomy as snippets, grouped in one admin menu, makes the admin's CSV
downloads follow the site's cell rule (cases.interchange.spreadsheet), serves the library
page through the library view, lists contributions awaiting review for moderators
(cases/review_queue.py), adds the admin's own CSS (css/admin.css), and tells administrators
on the dashboard who hears of what awaits review."""

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from cases import moderators
from cases.interchange import spreadsheet
from cases.models import CaseIndexPage, Organisation, Platform, Theme
from cases.organisations import MergeForm, can_merge, merge_organisations
from cases.review_queue import AwaitingReviewViewSet
from cases.views import library

spreadsheet.guard_admin_exports()


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug", "description"]
    search_fields = ["name"]


class OrganisationIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if can_merge(self.request.user):
            buttons.append(HeaderButton(_("Merge duplicates"), url=reverse("merge_organisations")))
        return buttons


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    index_view_class = OrganisationIndexView
    list_display = ["name", "aliases", "country", "website"]
    list_filter = ["country"]
    search_fields = ["name", "aliases"]


def merge_organisations_view(request):
    """Moderators merge duplicate organisations: the duplicates' cases move to the one
    kept, their names become its aliases (cases/organisations.py)."""
    if not can_merge(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = MergeForm(request.POST)
        if form.is_valid():
            keep, duplicates = form.cleaned_data["keep"], form.cleaned_data["duplicates"]
            names = ", ".join(d.name for d in duplicates)
            moved = merge_organisations(keep, duplicates, user=request.user)
            messages.success(
                request,
                ngettext(
                    "Merged %(names)s into %(keep)s: %(count)s case moved.",
                    "Merged %(names)s into %(keep)s: %(count)s cases moved.",
                    len(moved),
                )
                % {"names": names, "keep": keep.name, "count": len(moved)},
            )
            return redirect("wagtailsnippets_cases_organisation:list")
    else:
        form = MergeForm(initial={"duplicates": request.GET.getlist("duplicates")})
    return TemplateResponse(request, "cases/admin/merge_organisations.html", {"form": form})


class MergeBulkAction(SnippetBulkAction):
    """ "Merge" among the organisation listing's bulk actions: the ticked organisations
    open the merge form, ticked as the duplicates, to choose the one to keep."""

    display_name = gettext_lazy("Merge")
    action_type = "merge"
    aria_label = gettext_lazy("Merge the selected organisations")
    models = [Organisation]

    def dispatch(self, request, *args, **kwargs):
        if not can_merge(request.user):
            raise PermissionDenied
        query = urlencode([("duplicates", pk) for pk in request.GET.getlist("id")])
        return redirect(f"{reverse('merge_organisations')}?{query}")


hooks.register("register_bulk_action", MergeBulkAction)


@hooks.register("register_admin_urls")
def merge_organisations_url():
    return [path("organisations/merge/", merge_organisations_view, name="merge_organisations")]


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


@hooks.register("insert_global_admin_css")
def admin_css():
    """The admin's own additions, such as the review queue's columns on a phone."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


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
    """Who is e-mailed when something waits for review (a contribution, through Wagtail's
    workflow; a replication or a held question or answer, through
    cases.moderators.tell_of_waiting: the same people), or a warning that nobody will be
    told: setting up moderation should not depend on knowing Wagtail's rules."""

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
def show_who_hears_of_what_awaits_review(request, panels):
    if request.user.is_superuser:
        panels.append(ModerationNoticesPanel())


@hooks.register("register_admin_viewset")
def register_replication_review():
    """Replications by status, for moderators (cases/replications/admin.py)."""
    from cases.replications.admin import ReplicationReviewViewSet

    return ReplicationReviewViewSet()
