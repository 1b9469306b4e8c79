"""Saving cases, the member's lists under /accounts/lists/, and a list shared by link.

Every view of a list looks it up among the signed-in member's own lists, so another member's
list id answers 404, exactly like an id that does not exist: nobody can tell which ids exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.interchange.download import FORMATS, export_response
from cases.interchange.exporter import CHUNK
from cases.views import paginate
from commonground.reading_lists import lists
from commonground.reading_lists.forms import ListNameForm
from commonground.reading_lists.models import ReadingList

NOINDEX = "noindex, nofollow"


def _return_to(request, fallback: str) -> str:
    """Where a form posted from a card or a case page sends the member back to: its `next`,
    when that is a path on this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _own_list(request, list_id: int) -> ReadingList:
    return get_object_or_404(ReadingList, pk=list_id, owner=request.user)


@require_POST
def save_case(request, case_id: int):
    """Puts a live case in the member's "Saved" list, or in the list chosen (`list`)."""
    case = get_object_or_404(lists.savable_cases(), pk=case_id)
    back = _return_to(request, case.url)
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    list_id = request.POST.get("list")
    if list_id:
        # An id a list can have: ASCII digits, few enough for Python and the database to read.
        if not (list_id.isascii() and list_id.isdigit() and len(list_id) <= 18):
            raise Http404
        reading_list = _own_list(request, int(list_id))
    else:
        reading_list = lists.default_list(request.user)
    name = reading_list.display_name
    try:
        if lists.add_case(reading_list, case):
            messages.success(request, _("Saved to “%(name)s”.") % {"name": name})
        else:
            messages.info(request, _("This case is already in “%(name)s”.") % {"name": name})
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(back)


@require_POST
def unsave_case(request, case_id: int):
    """Takes a case out of all the member's lists."""
    back = _return_to(request, reverse("reading_lists:index"))
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    lists.remove_case(request.user, case_id)
    messages.success(request, _("Removed from your lists."))
    return redirect(back)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    """The member's lists, and a form to name a new one."""
    form = ListNameForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        reading_list = form.save()
        messages.success(request, _("List “%(name)s” created.") % {"name": reading_list.name})
        return redirect("reading_lists:detail", reading_list.pk)
    lists.default_list(request.user)  # "Saved" is always there
    return render(
        request,
        "reading_lists/index.html",
        {"reading_lists": lists.lists_of(request.user), "form": form},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def detail(request, list_id: int):
    """One list: its cases, renaming, sharing, exporting; the form posts a new name."""
    reading_list = _own_list(request, list_id)
    form = ListNameForm(
        request.POST or None,
        owner=request.user,
        reading_list=reading_list,
        initial={"name": reading_list.name},
    )
    if request.method == "POST":
        if reading_list.is_default:
            raise Http404
        if form.is_valid():
            form.save()
            messages.success(request, _("List renamed."))
            return redirect("reading_lists:detail", reading_list.pk)
    share_url = (
        request.build_absolute_uri(
            reverse("reading_lists:shared", args=[reading_list.share_token])
        )
        if reading_list.share_token
        else ""
    )
    return render(
        request,
        "reading_lists/detail.html",
        {
            "reading_list": reading_list,
            "page_obj": paginate(request, lists.list_cases(reading_list)),
            "form": form,
            "share_url": share_url,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request, list_id: int):
    """Asks first; deleting a list leaves its cases in the library and in other lists."""
    reading_list = _own_list(request, list_id)
    if reading_list.is_default:
        raise Http404
    if request.method == "POST":
        reading_list.delete()
        messages.success(request, _("List “%(name)s” deleted.") % {"name": reading_list.name})
        return redirect("reading_lists:index")
    return render(request, "reading_lists/delete.html", {"reading_list": reading_list})


@login_required
@require_POST
def remove(request, list_id: int, case_id: int):
    reading_list = _own_list(request, list_id)
    lists.remove_case(request.user, case_id, reading_list)
    messages.success(request, _("Removed from “%(name)s”.") % {"name": reading_list.display_name})
    return redirect(_return_to(request, reverse("reading_lists:detail", args=[list_id])))


@login_required
@require_POST
def share(request, list_id: int):
    """`share=on` gives the list a new link (any earlier one stops working); `off` ends it."""
    reading_list = _own_list(request, list_id)
    if request.POST.get("share") == "off":
        reading_list.stop_sharing()
        messages.success(request, _("The list is private again: its link no longer works."))
    else:
        had_link = bool(reading_list.share_token)
        reading_list.start_sharing()
        messages.success(
            request,
            _("The list has a new link; the old one no longer works.")
            if had_link
            else _("Anyone with the link can now read this list."),
        )
    return redirect("reading_lists:detail", reading_list.pk)


@login_required
@require_GET
def export(request, list_id: int, fmt: str):
    reading_list = _own_list(request, list_id)
    if fmt not in FORMATS:
        raise Http404
    return export_response(
        request,
        lists.export_cases(reading_list).iterator(chunk_size=CHUNK),
        fmt,
        "common-ground-reading-list",
    )


@require_GET
def shared(request, token: str):
    """A list shared by its owner: its name and its live public cases, read-only, for anyone
    with the link; search engines are asked to keep it out of their index."""
    reading_list = get_object_or_404(ReadingList, share_token=token)
    response = render(
        request,
        "reading_lists/shared.html",
        {
            "reading_list": reading_list,
            "page_obj": paginate(request, lists.list_cases(reading_list)),
        },
    )
    response["X-Robots-Tag"] = NOINDEX
    return response
