"""Contributions awaiting review, as a listing in the Wagtail admin for moderators: who sent
each one, from which organisation, and how long it has waited, oldest first.

Wagtail's dashboard panel lists only a moderator's own tasks, a few at a time and without
the contributor; this is the whole queue, filterable, built on Wagtail's flat page listing
(PageListingViewSet) so that titles lead to the page's edit view, where the review actions
are.
"""

from django_countries import countries
from django_filters.filters import ChoiceFilter, ModelChoiceFilter, ModelMultipleChoiceFilter

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.forms import CheckboxSelectMultiple
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import PageTitleColumn
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.models import Page, TaskState, WorkflowState

from cases.models import CaseStudyPage, ModeratorReviewTask, Organisation, Theme


def moderates(user) -> bool:
    """Superusers and members of a group the active review task is given to (Moderators)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return (
        user.is_superuser
        or ModeratorReviewTask.objects.filter(
            active=True, groups__in=user.groups.values("pk")
        ).exists()
    )


def awaiting_review():
    """Case studies whose review is in progress, each with `submitted_at`: when the task now
    open started (a resubmission after changes starts it again)."""
    open_task = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
        workflow_state__object_id=Cast(OuterRef("pk"), CharField()),
    ).order_by("-started_at")
    return CaseStudyPage.objects.annotate(
        submitted_at=Subquery(open_task.values("started_at")[:1])
    ).filter(submitted_at__isnull=False)


def submitted(page) -> str:
    """The day and time it was sent: the age beside it says how long ago."""
    return date_format(timezone.localtime(page.submitted_at), "j M Y, H:i")


def waiting(page) -> str:
    """How long the contribution has waited, to the largest unit ("3 days")."""
    return timesince(page.submitted_at, timezone.now(), depth=1)


def contributor(page) -> str:
    """The member's name as staff see it (get_full_name is members.profiles.member_name), cut
    to 60 characters so one long name cannot take the table's width from the titles."""
    if not page.contributor:
        return "—"
    return Truncator(page.contributor.get_full_name()).chars(60)


class ReviewTitleColumn(PageTitleColumn):
    """The title, with the contributor and organisation beneath it for narrow screens, where
    their own columns are hidden (css/admin.css)."""

    cell_template_name = "cases/admin/awaiting_review_title_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        names = (
            contributor(instance) if instance.contributor else "",
            instance.organisation.name if instance.organisation else "",
        )
        context["sent_by"] = " · ".join(name for name in names if name)
        return context


# Hidden on narrow screens, where the title cell says who sent it and from where.
WIDE = "awaiting-review__wide"


class AwaitingReviewFilterSet(WagtailFilterSet):
    organisation = ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    country = ChoiceFilter(label=_("Country"), choices=countries)
    themes = ModelMultipleChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), widget=CheckboxSelectMultiple
    )

    class Meta:
        model = CaseStudyPage
        fields = []


class AwaitingReviewIndexView(IndexView):
    page_title = _("Awaiting review")
    results_template_name = "cases/admin/awaiting_review_results.html"
    is_searchable = False
    default_ordering = "submitted_at"  # oldest first: the longest wait comes first

    def user_has_any_permission(self, permissions):
        return moderates(self.request.user)

    def get_base_queryset(self):
        return self.annotate_queryset(awaiting_review())

    def annotate_queryset(self, pages):
        # CaseStudyPage rows already: Wagtail's .specific() would fetch them again without
        # the organisation and the contributor's profile.
        return (
            pages.defer_streamfields()
            .select_related("organisation", "contributor__profile")
            .prefetch_related("content_type", "sites_rooted_here")
            .prefetch_workflow_states()
            .annotate_site_root_state()
            .annotate_approved_schedule()
        )

    @property
    def header_buttons(self):
        return []  # contributions come from members; nothing to add here


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return moderates(request.user)


class AwaitingReviewViewSet(PageListingViewSet):
    model = CaseStudyPage
    name = "awaiting_review"
    url_prefix = "awaiting-review"
    index_view_class = AwaitingReviewIndexView
    filterset_class = AwaitingReviewFilterSet
    icon = "tasks"
    menu_label = _("Awaiting review")
    menu_order = 150
    add_to_admin_menu = True
    columns = [
        ReviewTitleColumn("title", label=_("Title"), sort_key="title", classname="title"),
        Column("contributor", label=_("Contributor"), accessor=contributor, classname=WIDE),
        Column(
            "organisation",
            label=_("Organisation"),
            sort_key="organisation__name",
            classname=WIDE,
        ),
        Column(
            "submitted_at",
            label=_("Submitted"),
            accessor=submitted,
            sort_key="submitted_at",
            classname=WIDE,
        ),
        Column("waiting", label=_("Waiting"), accessor=waiting),
    ]

    @property
    def menu_item_class(self):
        return ModeratorMenuItem
