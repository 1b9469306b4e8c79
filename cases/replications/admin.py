"""Replications awaiting review, in the Wagtail admin for moderators (the Moderators group
and superusers, cases.review_queue.moderates): filtered by status, oldest waiting first,
each with approve and reject buttons and an optional note the member is e-mailed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.models import Replication
from cases.replications import rules
from cases.review_queue import ModeratorMenuItem, moderates

Status = Replication.Status
DECISIONS = {"approve": Status.APPROVED, "reject": Status.REJECTED}


def _moderator_only(request) -> None:
    if not moderates(request.user):
        raise PermissionDenied


def listing(request):
    _moderator_only(request)
    status = request.GET.get("status", Status.PENDING)
    if status not in Status.values:
        status = Status.PENDING
    replications = (
        Replication.objects.filter(status=status)
        .select_related("page", "organisation", "member")
        .order_by("created_at" if status == Status.PENDING else "-decided_at", "pk")
    )
    return TemplateResponse(
        request,
        "cases/admin/replications.html",
        {
            "replications": replications[:200],
            "status": status,
            "statuses": Status.choices,
        },
    )


@require_POST
def decide(request, pk):
    _moderator_only(request)
    replication = get_object_or_404(Replication, pk=pk)
    status = DECISIONS.get(request.POST.get("decision"))
    if status is None:
        messages.error(request, _("Choose to approve or to reject."))
    elif rules.decide(replication, status, request.user, request.POST.get("comment", "").strip()):
        if status == Status.APPROVED:
            messages.success(request, _("Approved: it now shows on the case."))
        else:
            messages.success(request, _("Rejected: the member is told."))
    else:
        messages.warning(request, _("This replication was no longer waiting for review."))
    return redirect("replications_awaiting_review")


def urls():
    return [
        path("replications/", listing, name="replications_awaiting_review"),
        path("replications/<int:pk>/decide/", decide, name="replication_decide"),
    ]


def menu_item():
    return ModeratorMenuItem(
        gettext_lazy("Replications"),
        reverse("replications_awaiting_review"),
        icon_name="doc-full",
        order=160,
    )
