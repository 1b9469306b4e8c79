"""Clean addresses for the listings' GET forms.

Without JavaScript a browser submits every field of a form, empty or not, so "Apply filters"
gives /search/?q=…&year_from=&year_to= and the theme page's "Any verdict" gives ?verdict=.
Views wrapped in `without_empty_params` answer such a request with a redirect to the same
address minus its empty parameters, so what is shared, bookmarked and paginated is clean.
"""

from functools import wraps

from django.http import HttpResponseRedirect, QueryDict


def without_empty_params(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            kept = QueryDict(mutable=True)
            dropped = False
            for name, values in request.GET.lists():
                filled = [value for value in values if value.strip()]
                dropped = dropped or len(filled) < len(values)
                if filled:
                    kept.setlist(name, filled)
            if dropped:
                query = kept.urlencode()
                return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
        return view(request, *args, **kwargs)

    return wrapper
