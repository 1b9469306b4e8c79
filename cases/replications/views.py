"""/contribute/tried/<case id>/: a signed-in member with a verified address records that
their force tried a published case, sees their own replications of it and the state of
each, and withdraws one while it waits. Nobody else's waiting replication is ever shown."""

from allauth.account.decorators import verified_email_required

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.contribute.allowance import LimitReached
from cases.contribute.forms import ContributionForm
from cases.contribute.views import resets_text
from cases.models import CaseStudyPage, Replication
from cases.replications import rules
from cases.replications.forms import ReplicationForm


def _published_case(case_id) -> CaseStudyPage:
    page = CaseStudyPage.objects.live().public().filter(pk=case_id).first()
    if page is None:
        raise Http404("No such case.")
    return page


@require_http_methods(["GET", "POST"])
@verified_email_required
def tried(request, case_id):
    page = _published_case(case_id)
    limit = None
    if request.method == "POST":
        form = ReplicationForm(request.POST)
        if form.is_valid():
            try:
                rules.record(form.replication_for(page), request.user)
            except LimitReached as exc:
                limit = resets_text(exc)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. Your replication of “%(title)s” is with the moderators; "
                        "it shows on the case once approved."
                    )
                    % {"title": page.title},
                )
                return redirect("contribute:tried", case_id=page.pk)
    else:
        form = ReplicationForm(initial=ContributionForm.initial_from_profile(request.user))
    mine = Replication.objects.filter(page=page, member=request.user).order_by("-created_at")
    return render(
        request,
        "cases/replications/form.html",
        {"case": page, "form": form, "limit": limit, "mine": mine, "page": None},
    )


@require_POST
@verified_email_required
def withdraw(request, pk):
    replication = Replication.objects.filter(pk=pk, member=request.user).first()
    if replication is None:
        raise Http404("No such replication.")
    if rules.withdraw(replication, request.user):
        messages.success(request, _("Your replication is withdrawn."))
    else:
        messages.info(
            request,
            _("This replication is no longer waiting for a moderator, so it cannot be withdrawn."),
        )
    return redirect("contribute:tried", case_id=replication.page_id)
