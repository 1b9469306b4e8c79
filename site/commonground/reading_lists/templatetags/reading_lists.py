"""{% case_save_panel page %}: on a case page, Save for a signed-in member (with the lists
that hold the case and a choice of the others), a link to sign in for a visitor."""

from django import template
from django.db.models import Exists, OuterRef

from commonground.reading_lists.models import ReadingList, ReadingListItem

register = template.Library()


@register.inclusion_tag("reading_lists/case_panel.html", takes_context=True)
def case_save_panel(context, case):
    request = context["request"]
    signed_in = request.user.is_authenticated
    in_lists, other_lists = [], []
    shown = case.live and not getattr(request, "is_preview", False)
    if shown and signed_in:
        holds = ReadingListItem.objects.filter(reading_list=OuterRef("pk"), case=case)
        for reading_list in ReadingList.objects.filter(owner=request.user).annotate(
            has_case=Exists(holds)
        ):
            (in_lists if reading_list.has_case else other_lists).append(reading_list)
        # An unsaved case's Save button already puts it in "Saved".
        other_lists = [item for item in other_lists if in_lists or not item.is_default]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "case": case,
        "shown": shown,
        "signed_in": signed_in,
        "in_lists": in_lists,
        "other_lists": other_lists,
    }
