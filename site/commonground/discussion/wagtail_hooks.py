"""The admin's "Questions and answers" (moderators and administrators): posts by status,
those held for review by default (a member's first posts, and posts hidden by reports),
newest first, 20 to a page (cases/review_listing.py), each held or reported post with
Approve and Reject. Also the demo threads for load_demo (its "load_demo" hook)."""

from django.contrib import messages
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks

from cases.review_listing import ReviewViewSet
from commonground.discussion import rules
from commonground.discussion.models import Post
from commonground.discussion.notices import display_name

Status = Post.Status


class PostReviewViewSet(ReviewViewSet):
    model = Post
    name = "post_review"
    url_prefix = "discussion"
    icon = "comment"
    menu_label = gettext_lazy("Questions and answers")
    menu_order = 161
    empty_message = gettext_lazy("No question or answer is waiting for review.")
    item_label = gettext_lazy("Post")
    item_template = "discussion/admin/post_cell.html"
    states = {
        "held": (gettext_lazy("Awaiting review"), rules.held()),
        "reported": (gettext_lazy("Reported, still shown"), rules.reported_shown()),
        "published": (Status.PUBLISHED.label, Q(status=Status.PUBLISHED, reported=False)),
        "rejected": (Status.REJECTED.label, Q(status=Status.REJECTED)),
    }

    def get_queryset(self):
        return Post.objects.select_related("author__profile", "case", "question").prefetch_related(
            "reports"
        )

    def decidable(self, post) -> bool:
        """Held (waiting, or hidden by reports), or published with reports to look at."""
        return post.status == Status.PENDING or (
            post.status == Status.PUBLISHED and (post.reported or bool(post.reports.all()))
        )

    def subject(self, post) -> str:
        return f"{display_name(post.author)}, {post.case.title}"

    def decide(self, request, post):
        decision = request.POST.get("decision")
        if decision not in ("approve", "reject"):
            return messages.ERROR, _("Choose to approve or to reject.")
        rules.review(post, decision == "approve")
        if decision == "approve":
            return messages.SUCCESS, _("Post approved.")
        return messages.SUCCESS, _("Post rejected.")


@hooks.register("register_admin_viewset")
def register_post_review():
    return PostReviewViewSet()


@hooks.register("load_demo")
def load_demo_threads():
    from commonground.discussion.demo import load_threads

    return load_threads()
