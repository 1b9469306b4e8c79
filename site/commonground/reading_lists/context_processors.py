"""`saved_case_ids` for every template: the cases in the signed-in member's lists, read in
one query the first time a card asks (never on a page without cards), and empty for
visitors, whose pages stay the same for everyone (and so cacheable)."""

from django.utils.functional import SimpleLazyObject

from commonground.reading_lists.lists import saved_case_ids


def saved_cases(request):
    user = getattr(request, "user", None)
    if user is None:
        return {"saved_case_ids": frozenset()}
    return {"saved_case_ids": SimpleLazyObject(lambda: saved_case_ids(user))}
