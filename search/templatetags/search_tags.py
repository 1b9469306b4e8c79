"""Search in templates: the case page asks for its related cases here, so the case library
never imports the search app (search depends on cases, not the other way round)."""

from django import template

from search.service import get_search_service

register = template.Library()


@register.simple_tag
def related_cases(page, limit=4):
    """The published cases most like this one, best first, ready for case cards."""
    return get_search_service().related(page, limit)
