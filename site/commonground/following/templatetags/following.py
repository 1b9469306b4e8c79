"""{% follow_button kind target %}: the Follow button of a theme, country or organisation page,
and the search page's Alert me button. A POST form that works without JavaScript; a visitor
who is not signed in gets a link to sign in and come back."""

from django import template
from django.http import QueryDict

from commonground.following.models import Follow
from commonground.following.targets import normalised, normalised_search
from search.query import SearchQuery

register = template.Library()
Kind = Follow.Kind


@register.inclusion_tag("following/follow_button.html", takes_context=True)
def follow_button(context, kind: str, target):
    """target: the Theme or Organisation, the country code, or the search (its SearchQuery,
    or its parameters)."""
    request = context["request"]
    if kind == Kind.SEARCH:
        if isinstance(target, SearchQuery):
            value = normalised(target)
        else:
            value = normalised_search(
                target if isinstance(target, QueryDict) else QueryDict(target)
            )
        key_target = value
    elif kind == Kind.COUNTRY:
        value = key_target = str(target).upper()
    else:
        value, key_target = target.slug, target.pk
    following = None
    if value and request.user.is_authenticated:
        following = Follow.objects.filter(user=request.user, key=f"{kind}:{key_target}").first()
    return {
        "request": request,
        "kind": kind,
        "value": value,
        "following": following,
        "next": request.get_full_path(),
    }
