"""The admin's "Posts awaiting review" (moderators and administrators): first posts waiting
for approval, posts hidden by reports, and reported posts still shown, each with Approve
and Reject. Also the demo threads for load_demo (its "load_demo" hook)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cases.review_queue import moderates
from commonground.discussion import rules
from commonground.discussion.models import Post


def awaiting(request):
    if not moderates(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "discussion/admin/awaiting.html",
        {
            "page_title": _("Posts awaiting review"),
            "header_title": _("Posts awaiting review"),
            "header_icon": "comment",
            "waiting": rules.awaiting_review(),
            "reported": rules.reported_posts(),
            "reports_to_hide": rules.reports_to_hide(),
        },
    )


@require_POST
def decide(request, pk):
    if not moderates(request.user):
        raise PermissionDenied
    post = get_object_or_404(Post, pk=pk)
    approve = request.POST.get("decision") == "approve"
    rules.review(post, approve)
    messages.success(request, _("Post approved.") if approve else _("Post rejected."))
    return redirect("discussion_admin:awaiting")


@hooks.register("register_admin_urls")
def admin_urls():
    from django.urls import include

    return [
        path(
            "discussion/",
            include(
                (
                    [
                        path("", awaiting, name="awaiting"),
                        path("<int:pk>/decide/", decide, name="decide"),
                    ],
                    "discussion_admin",
                )
            ),
        )
    ]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return moderates(request.user)


@hooks.register("register_admin_menu_item")
def menu_item():
    return ModeratorMenuItem(
        gettext_lazy("Posts awaiting review"),
        reverse("discussion_admin:awaiting"),
        icon_name="comment",
        order=160,
    )


@hooks.register("load_demo")
def load_demo_threads():
    from commonground.discussion.demo import load_threads

    return load_threads()
