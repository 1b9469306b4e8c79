"""Clean addresses for the listings' GET forms.

Without JavaScript a browser submits every field of a form, empty or not, so "Apply filters"
gives /search/?q=…&year_from=&year_to= and the theme page's "Any verdict" gives ?verdict=.
Views wrapped in `without_empty_params` answer such a request with a redirect to the same
address minus its empty parameters, so what is shared, bookmarked and paginated is clean.
A range typed the wrong way round (from 2021 to 2015) is redirected the right way round
instead of finding nothing.
"""

from functools import wraps

from django.http import HttpResponseRedirect, QueryDict

# The (from, to) parameters of the listings' ranges (cases/listing.py BOUNDS).
RANGES = (("year_from", "year_to"),)


def _whole(values: list[str]) -> int | None:
    value = values[0].strip() if len(values) == 1 else ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def without_empty_params(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            kept = QueryDict(mutable=True)
            changed = False
            for name, values in request.GET.lists():
                filled = [value for value in values if value.strip()]
                changed = changed or len(filled) < len(values)
                if filled:
                    kept.setlist(name, filled)
            for lower, upper in RANGES:
                low, high = _whole(kept.getlist(lower)), _whole(kept.getlist(upper))
                if low is not None and high is not None and low > high:
                    kept[lower], kept[upper] = str(high), str(low)
                    changed = True
            if changed:
                query = kept.urlencode()
                return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
        return view(request, *args, **kwargs)

    return wrapper
