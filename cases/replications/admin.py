"""Replications in the Wagtail admin, for moderators (the Moderators group and superusers,
cases.review_queue.moderates): a listing of every replication by status, those awaiting
review by default, newest first, 20 to a page (cases/review_listing.py), each waiting one
with Approve and Reject and an optional note the member is e-mailed."""

from django.contrib import messages
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import Column

from cases.models import Replication
from cases.replications import rules
from cases.review_listing import WIDE, DecisionColumn, ReviewViewSet, local_time, sent_on

Status = Replication.Status
DECISIONS = {"approve": Status.APPROVED, "reject": Status.REJECTED}


def subject(replication) -> str:
    return f"{replication.organisation_display}, {replication.page.title}"


def decided(replication) -> str:
    if replication.status in (Status.APPROVED, Status.REJECTED) and replication.decided_at:
        return _("%(status)s on %(day)s") % {
            "status": replication.get_status_display(),
            "day": local_time(replication.decided_at),
        }
    return replication.get_status_display()


class ReplicationColumn(Column):
    """Who tried which case, when, with what result, and what they changed: the whole
    replication in one cell, so that it reads on a phone as on a desk."""

    cell_template_name = "cases/admin/replication_cell.html"


class ReplicationReviewViewSet(ReviewViewSet):
    model = Replication
    name = "replication_review"
    url_prefix = "replications"
    icon = "doc-full"
    menu_label = gettext_lazy("Replications")
    menu_order = 160
    empty_message = gettext_lazy("No replication is waiting for review.")
    states = {
        Status.PENDING.value: (Status.PENDING.label, Q(status=Status.PENDING)),
        Status.APPROVED.value: (Status.APPROVED.label, Q(status=Status.APPROVED)),
        Status.REJECTED.value: (Status.REJECTED.label, Q(status=Status.REJECTED)),
        Status.WITHDRAWN.value: (Status.WITHDRAWN.label, Q(status=Status.WITHDRAWN)),
    }

    def get_queryset(self):
        return Replication.objects.select_related("page", "organisation", "member")

    @property
    def columns(self):
        return [
            ReplicationColumn("replication", label=gettext_lazy("Replication")),
            Column(
                "created_at",
                label=gettext_lazy("Sent"),
                accessor=sent_on,
                sort_key="created_at",
                classname=WIDE,
            ),
            DecisionColumn(
                "decision",
                label=gettext_lazy("Decision"),
                decide_url_name=self.get_url_name("decide"),
                decidable=lambda replication: replication.status == Status.PENDING,
                decided=decided,
                subject=subject,
                comment_label=gettext_lazy("Note to the member (optional)"),
            ),
        ]

    def decide(self, request, replication):
        status = DECISIONS.get(request.POST.get("decision"))
        if status is None:
            return messages.ERROR, _("Choose to approve or to reject.")
        comment = request.POST.get("comment", "").strip()
        if not rules.decide(replication, status, request.user, comment):
            return messages.WARNING, _("This replication was no longer waiting for review.")
        if status == Status.APPROVED:
            return messages.SUCCESS, _("Approved: it now shows on the case.")
        return messages.SUCCESS, _("Rejected: the member is told.")
