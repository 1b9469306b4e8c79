"""What members send that is not a page and that moderators decide in the admin (replications,
questions and answers): one Wagtail listing each, built on Wagtail's generic IndexView so
that it pages, filters by status (what waits, by default) and sorts like the admin's own
listings, newest first, with Approve and Reject in each row. Moderators only
(cases.review_queue.moderates), for the listing, its menu item and the decisions, which are
POSTed with Django's CSRF check and go back to the listing as it was.

A viewset says which model, which states (`states`: name → label and filter) and which
columns; its `decide` (request, item) applies the decision and returns the message shown.
"""

from django_filters.filters import ChoiceFilter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSet

from cases.review_queue import ModeratorMenuItem, moderates

# Hidden on narrow screens, where the item's cell says the same beneath it (css/admin.css).
WIDE = "awaiting-review__wide"


def local_time(at) -> str:
    return date_format(timezone.localtime(at), "j M Y, H:i")


def sent_on(item) -> str:
    return local_time(item.created_at)


class DecisionColumn(Column):
    """Approve and Reject (with a note to the member where `comment_label` is given) for an
    item that can still be decided, else what was decided; `subject` names the item to
    screen readers after each button."""

    cell_template_name = "cases/admin/decision_cell.html"

    def __init__(
        self, name, decide_url_name, decidable, decided, subject, comment_label=None, **kwargs
    ):
        super().__init__(name, **kwargs)
        self.decide_url_name = decide_url_name
        self.subject = subject
        self.decidable = decidable
        self.decided = decided
        self.comment_label = comment_label

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = context["request"]
        context.update(
            decidable=self.decidable(instance),
            decided=self.decided(instance),
            subject=self.subject(instance),
            action=reverse(self.decide_url_name, args=[instance.pk]),
            csrf_token=get_token(request),
            back=listing_address(request, parent_context.get("view")),
            comment_label=self.comment_label,
        )
        return context


def listing_address(request, view) -> str:
    """The listing as the moderator sees it (status, sort, page), to come back to after a
    decision: the index's address even when the filters redrew only the results."""
    query = request.GET.copy()
    query.pop("_w_filter_fragment", None)
    index = view.index_url if view is not None else request.path
    return f"{index}?{query.urlencode()}" if query else index


class ReviewIndexView(IndexView):
    """A moderated item listing: newest first, 20 to a page, the status filter defaulting to
    what waits."""

    default_ordering = "-created_at"
    paginate_by = 20
    is_searchable = False
    states: dict = {}
    default_state = ""
    empty_message = ""

    def user_has_any_permission(self, permissions):
        return moderates(self.request.user)

    def user_has_permission(self, permission):
        return False  # nothing to add, edit or delete here: only decisions

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if kwargs["data"].get("status") not in self.states:
            data = kwargs["data"].copy()
            data["status"] = self.default_state
            kwargs["data"] = data
        return kwargs

    @property
    def no_results_message(self):
        if self.is_filtering:  # a status other than what waits
            return _("Nothing has this status.")
        return self.empty_message


def status_filterset(model, states: dict, default: str):
    """A filter set with one filter, the item's status among `states`, `default` when none
    is chosen (so "is filtering" means another status was chosen)."""

    def by_state(queryset, name, value):
        return queryset.filter(states[value][1])

    status = ChoiceFilter(
        label=_("Status"),
        choices=[(name, label) for name, (label, _condition) in states.items()],
        empty_label=None,
        initial=default,
        method=by_state,
    )
    meta = type("Meta", (), {"model": model, "fields": []})
    return type(
        f"{model.__name__}ReviewFilterSet", (WagtailFilterSet,), {"status": status, "Meta": meta}
    )


class ItemColumn(Column):
    """The whole item in one cell (`cell_template_name`), so that it reads on a phone as on a
    desk."""

    def __init__(self, name, cell_template_name, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = cell_template_name


class ReviewViewSet(ViewSet):
    """The listing (and its results-only twin, which Wagtail's filters redraw) and the
    decision view, under one admin menu item shown to moderators only. Columns: the item
    (`item_label`, drawn by `item_template`), when it was sent, and the decision."""

    model = None
    index_view_class = ReviewIndexView
    states: dict = {}  # name → (label, Q): the first is the default, what waits
    queryset = None
    empty_message = ""
    item_label = ""
    item_template = ""
    comment_label = None  # a note to the member beside the decision, if they are told
    add_to_admin_menu = True
    menu_item_class = ModeratorMenuItem

    def decidable(self, item) -> bool:
        raise NotImplementedError

    def decided(self, item) -> str:
        """What was decided, shown instead of the buttons."""
        return item.get_status_display()

    def subject(self, item) -> str:
        """The item, named to screen readers after each button."""
        return str(item)

    @property
    def columns(self):
        return [
            ItemColumn("item", self.item_template, label=self.item_label),
            Column(
                "created_at",
                label=_("Sent"),
                accessor=sent_on,
                sort_key="created_at",
                classname=WIDE,
            ),
            DecisionColumn(
                "decision",
                label=_("Decision"),
                decide_url_name=self.get_url_name("decide"),
                decidable=self.decidable,
                decided=self.decided,
                subject=self.subject,
                comment_label=self.comment_label,
            ),
        ]

    @property
    def default_state(self) -> str:
        return next(iter(self.states))

    def get_queryset(self):
        return self.queryset

    def index_view_kwargs(self, **kwargs):
        return {
            "model": self.model,
            "queryset": self.get_queryset(),
            "columns": self.columns,
            "states": self.states,
            "default_state": self.default_state,
            "filterset_class": status_filterset(self.model, self.states, self.default_state),
            "index_url_name": self.get_url_name("index"),
            "index_results_url_name": self.get_url_name("index_results"),
            "header_icon": self.icon,
            "page_title": self.menu_label,
            "empty_message": self.empty_message,
            **kwargs,
        }

    def decide(self, request, item) -> tuple[int, str]:
        """Apply the moderator's decision: (message level, message)."""
        raise NotImplementedError

    def decide_view(self, request, pk):
        if not moderates(request.user):
            raise PermissionDenied
        item = get_object_or_404(self.model, pk=pk)
        level, message = self.decide(request, item)
        messages.add_message(request, level, message)
        back = request.POST.get("next", "")
        index = reverse(self.get_url_name("index"))
        if not (back.startswith(index) and url_has_allowed_host_and_scheme(back, None)):
            back = index
        return HttpResponseRedirect(back)

    def get_urlpatterns(self):
        index = self.index_view_class.as_view(**self.index_view_kwargs())
        results = self.index_view_class.as_view(**self.index_view_kwargs(results_only=True))
        return [
            path("", index, name="index"),
            path("results/", results, name="index_results"),
            path("<int:pk>/decide/", require_POST(self.decide_view), name="decide"),
        ]
