"""What a member does with reading lists, and what a list shows. Views call only these."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils.translation import ngettext

from cases.interchange.exporter import exportable_cases
from cases.models import CaseStudyPage
from cases.queries import case_cards
from commonground.reading_lists.models import MAX_CASES, MAX_LISTS, ReadingList, ReadingListItem


def lists_of(user) -> QuerySet:
    """The member's lists, "Saved" first, each with `case_count`."""
    return ReadingList.objects.filter(owner=user).annotate(case_count=Count("items"))


def default_list(user) -> ReadingList:
    """The member's "Saved" list, made the first time it is needed."""
    try:
        with transaction.atomic():
            reading_list, _created = ReadingList.objects.get_or_create(owner=user, is_default=True)
    except IntegrityError:  # made at the same moment by another request
        reading_list = ReadingList.objects.get(owner=user, is_default=True)
    return reading_list


def check_can_add_list(user) -> None:
    if ReadingList.objects.filter(owner=user).count() >= MAX_LISTS:
        raise ValidationError(
            ngettext(
                "You have %(limit)s list, the most a member can have. Delete it to add another.",
                "You have %(limit)s lists, the most a member can have. Delete one to add another.",
                MAX_LISTS,
            )
            % {"limit": MAX_LISTS}
        )


def savable_cases() -> QuerySet:
    """Cases a member can save, and a list shows: live and public, never a draft."""
    return CaseStudyPage.objects.live().public()


def add_case(reading_list: ReadingList, case: CaseStudyPage) -> bool:
    """Puts the case in the list; False if it was there already. ValidationError when the
    list is full."""
    if reading_list.items.filter(case=case).exists():
        return False
    if reading_list.items.count() >= MAX_CASES:
        raise ValidationError(
            ngettext(
                "“%(name)s” holds %(limit)s case, the most a list can hold. Remove it first.",
                "“%(name)s” holds %(limit)s cases, the most a list can hold. Remove one first.",
                MAX_CASES,
            )
            % {"name": reading_list.display_name, "limit": MAX_CASES}
        )
    _item, created = ReadingListItem.objects.get_or_create(reading_list=reading_list, case=case)
    return created


def remove_case(user, case_id: int, reading_list: ReadingList | None = None) -> int:
    """Takes the case out of one of the member's lists, or out of all of them."""
    items = ReadingListItem.objects.filter(reading_list__owner=user, case_id=case_id)
    if reading_list is not None:
        items = items.filter(reading_list=reading_list)
    deleted, _by_model = items.delete()
    return deleted


def saved_case_ids(user) -> frozenset[int]:
    """The ids of every case in any of the member's lists: one query, for a page's cards."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(
        ReadingListItem.objects.filter(reading_list__owner=user).values_list("case_id", flat=True)
    )


def list_cases(reading_list: ReadingList) -> QuerySet:
    """The list's live public cases as cards, most recently added first."""
    return case_cards(
        savable_cases().filter(reading_list_items__reading_list=reading_list)
    ).order_by("-reading_list_items__added_at", "-pk")


def export_cases(reading_list: ReadingList) -> QuerySet:
    """The list's live public cases as the exporter reads them."""
    ids = list_cases(reading_list).values("pk")
    return exportable_cases().filter(pk__in=ids)


def lists_data(user, base_url: str) -> list[dict]:
    """The member's lists for their data download: names, sharing, and every saved case
    (drafts and unpublished cases too, by title, since the member saved them)."""
    items = ReadingListItem.objects.filter(reading_list__owner=user).select_related("case")
    by_list: dict[int, list[dict]] = {}
    for item in items.order_by("added_at", "pk"):
        page = item.case
        by_list.setdefault(item.reading_list_id, []).append(
            {
                "title": page.title,
                "url": base_url + page.url if page.live and page.url else None,
                "added_at": item.added_at,
            }
        )
    return [
        {
            "name": reading_list.display_name,
            "shared_by_link": bool(reading_list.share_token),
            "created_at": reading_list.created_at,
            "cases": by_list.get(reading_list.pk, []),
        }
        for reading_list in ReadingList.objects.filter(owner=user)
    ]
