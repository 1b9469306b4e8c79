"""Registers the taxonomy as snippets, grouped in one admin menu, and makes the admin's CSV
downloads follow the site's cell rule (cases.interchange.spreadsheet)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cases.interchange import spreadsheet
from cases.models import Organisation, Platform, Theme

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
