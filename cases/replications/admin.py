"""Replications in the Wagtail admin, for moderators (the Moderators group and superusers,
cases.review_queue.moderates): a listing of every replication by status, those awaiting
review by default, newest first, 20 to a page (cases/review_listing.py), each waiting one
with Approve and Reject and an optional note the member is e-mailed."""

from django.contrib import messages
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Replication
from cases.replications import rules
from cases.review_listing import ReviewViewSet, local_time

Status = Replication.Status
DECISIONS = {"approve": Status.APPROVED, "reject": Status.REJECTED}


class ReplicationReviewViewSet(ReviewViewSet):
    model = Replication
    name = "replication_review"
    url_prefix = "replications"
    icon = "doc-full"
    menu_label = gettext_lazy("Replications")
    menu_order = 160
    empty_message = gettext_lazy("No replication is waiting for review.")
    item_label = gettext_lazy("Replication")
    item_template = "cases/admin/replication_cell.html"
    comment_label = gettext_lazy("Note to the member (optional)")
    states = {
        status.value: (status.label, Q(status=status))
        for status in (Status.PENDING, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN)
    }

    def get_queryset(self):
        return Replication.objects.select_related("page", "organisation", "member")

    def decidable(self, replication) -> bool:
        return replication.status == Status.PENDING

    def decided(self, replication) -> str:
        if replication.status in DECISIONS.values() and replication.decided_at:
            return _("%(status)s on %(day)s") % {
                "status": replication.get_status_display(),
                "day": local_time(replication.decided_at),
            }
        return replication.get_status_display()

    def subject(self, replication) -> str:
        return f"{replication.organisation_display}, {replication.page.title}"

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
