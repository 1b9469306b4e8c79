"""The admin's "Questions and answers" (moderators and administrators): posts by status,
those held for review by default (a member's first posts, and posts hidden by reports),
newest first, 20 to a page (cases/review_listing.py), each held or reported post with
Approve and Reject. Also the demo threads for load_demo (its "load_demo" hook)."""

from django.contrib import messages
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.ui.tables import Column

from cases.review_listing import WIDE, DecisionColumn, ReviewViewSet, sent_on
from commonground.discussion import rules
from commonground.discussion.models import Post
from commonground.discussion.notices import display_name

Status = Post.Status


def subject(post) -> str:
    return f"{display_name(post.author)}, {post.case.title}"


class PostColumn(Column):
    """The post, its author, its case, and why it is here (first post, reports): the whole
    post in one cell, so that it reads on a phone as on a desk."""

    cell_template_name = "discussion/admin/post_cell.html"


class PostReviewViewSet(ReviewViewSet):
    model = Post
    name = "post_review"
    url_prefix = "discussion"
    icon = "comment"
    menu_label = gettext_lazy("Questions and answers")
    menu_order = 161
    empty_message = gettext_lazy("No question or answer is waiting for review.")
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

    @property
    def columns(self):
        return [
            PostColumn("post", label=gettext_lazy("Post")),
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
                decidable=lambda post: (
                    post.status == Status.PENDING or post.reported or bool(post.reports.all())
                ),
                decided=lambda post: post.get_status_display(),
                subject=subject,
            ),
        ]

    def decide(self, request, post):
        decision = request.POST.get("decision")
        if decision not in ("approve", "reject"):
            return messages.ERROR, _("Choose to approve or to reject.")
        rules.review(post, decision == "approve")
        return messages.SUCCESS, _("Post approved.") if decision == "approve" else _(
            "Post rejected."
        )


@hooks.register("register_admin_viewset")
def register_post_review():
    return PostReviewViewSet()


@hooks.register("load_demo")
def load_demo_threads():
    from commonground.discussion.demo import load_threads

    return load_threads()
