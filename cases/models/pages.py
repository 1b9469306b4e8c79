"""The case library's pages: the library index at /cases/ and the case study itself."""

import re

from django_countries.fields import CountryField

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cases import dates, limits
from cases.blocks import AuthorsBlock, LessonsBlock, OutcomesBlock
from cases.choices import DatePrecision, Evidence, LessonKind, Result
from cases.languages import language_name, validate_language
from cases.queries import images_marked_as_pictures
from commonground.blocks import BodyBlock
from commonground.text import SingleLineCharField, SingleLineTextField, SingleLineTitles

EXTERNAL_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def validate_case_year(value) -> None:
    """A case's date falls in the years the library can be filtered by."""
    if not limits.EARLIEST_YEAR <= value.year <= limits.LATEST_YEAR:
        raise ValidationError(
            gettext("Give a date from %(earliest)s to %(latest)s.")
            % {"earliest": limits.EARLIEST_YEAR, "latest": limits.LATEST_YEAR},
            code="year_out_of_range",
        )


class CaseIndexPage(SingleLineTitles, Page):
    """The library: every published case, filtered and paginated. Served, like a preview
    of it, by the library view (cases/views.py), which cases/wagtail_hooks.py puts in
    front of the page so that models do not import views."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cases.CaseStudyPage"]
    parent_page_types = ["commonground.HomePage"]
    max_count = 1

    def route(self, request, path_components):
        """A case's address in one query: its children are all cases, so the case is read
        as one at once, with its organisation (Wagtail's route reads the page, then its
        specific row)."""
        if len(path_components) == 1:
            cases = CaseStudyPage.objects.child_of(self).select_related("organisation")
            case = cases.filter(slug=path_components[0]).first()
            if case is not None:
                case._cached_parent_obj = self
                return case.route(request, [])
        return super().route(request, path_components)


class CaseStudyPage(SingleLineTitles, Page):
    """A case study or lesson learned from one organisation, told honestly."""

    # Shown as one paragraph (cards, meta descriptions, exports), so kept on one line.
    summary = SingleLineTextField(
        max_length=limits.SUMMARY,
        # A TextField's max_length alone is not enforced.
        validators=[MaxLengthValidator(limits.SUMMARY)],
        help_text=_("Plain text, up to 600 characters: what happened and how it went."),
    )
    # Nullable (but never blank) so that a member's draft needs only a title: Wagtail saves
    # drafts with minimal validation, and full validation applies when a case is published.
    organisation = models.ForeignKey(
        "cases.Organisation", null=True, on_delete=models.PROTECT, related_name="case_pages"
    )
    country = CountryField(db_index=True)
    case_date = models.DateField(
        _("date"),
        null=True,
        db_index=True,
        validators=[validate_case_year],
        help_text=_("When the episode happened or was written up."),
    )
    case_date_precision = models.CharField(
        "date known to",
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Month or year only: the date above is shown as its month or its year."),
    )
    # The year of case_date, kept in its own indexed column because year filters and year
    # counts would otherwise run a date function on every row.
    case_year = models.PositiveSmallIntegerField(editable=False, db_index=True, null=True)
    themes = ParentalManyToManyField("cases.Theme", related_name="case_pages")
    platforms = ParentalManyToManyField("cases.Platform", related_name="case_pages", blank=True)
    # A contributor's platform not yet in the list (Taxonomy > Platforms).
    proposed_platform = SingleLineCharField(
        "proposed platform",
        max_length=limits.PLATFORM,
        blank=True,
        help_text=(
            "Proposed by the contributor. Add it under Taxonomy > Platforms (or find it there "
            "under another name), tick it above, then clear this."
        ),
    )
    language = models.CharField(
        max_length=35,
        default="en",
        db_index=True,
        validators=[validate_language],
        help_text=_("BCP 47 code of the language the case is written in, e.g. en, nl, fr."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_alt = SingleLineCharField(
        _("hero image alt text"),
        max_length=limits.ALT_TEXT,
        blank=True,
        help_text=_("Required with an image: describe it for people who cannot see it."),
    )
    hero_caption = SingleLineCharField("hero image caption", max_length=limits.CAPTION, blank=True)
    body = StreamField(BodyBlock(), blank=True)
    lessons = StreamField(LessonsBlock(), blank=True)
    outcomes = StreamField(OutcomesBlock(), blank=True, help_text=_("Measured results."))
    result = models.CharField(max_length=20, choices=Result.choices, blank=True, db_index=True)
    evidence = models.CharField(max_length=30, choices=Evidence.choices, blank=True)
    source_event = SingleLineCharField(
        _("source event"), max_length=limits.SOURCE_EVENT, blank=True
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    authors = StreamField(AuthorsBlock(), blank=True)
    # A write-up of a conference talk points at its session (and so its event).
    event_session = models.ForeignKey(
        "cases.EventSession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="write_ups",
        verbose_name=_("conference session"),
    )
    # Set when a member contributed the case through /contribute/; credited on the page.
    # A deleted member's contributions stay, credited to "former member".
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        editable=False,
    )
    contributed = models.BooleanField(default=False, editable=False)
    # Set when a moderator approves a contribution (ModeratorReviewTask); editors change it
    # when they check a case again. Empty for cases nobody has reviewed on the site.
    last_reviewed = models.DateField(
        "last reviewed",
        null=True,
        blank=True,
        help_text=_("When someone last checked this case against its sources. Set on approval."),
    )
    external_id = models.CharField(
        max_length=120,
        unique=True,
        blank=True,
        validators=[
            RegexValidator(
                EXTERNAL_ID_RE,
                _("Lower-case letters, digits and hyphens, starting with a letter."),
            )
        ],
        help_text=_("Stable id used by import and export. Left empty, the page's slug is used."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldPanel("country"),
                FieldRowPanel([FieldPanel("case_date"), FieldPanel("case_date_precision")]),
                FieldPanel("language"),
            ],
            heading=_("Who, where and when"),
        ),
        MultiFieldPanel(
            [FieldPanel("themes"), FieldPanel("platforms"), FieldPanel("proposed_platform")],
            heading=_("Themes and platforms"),
        ),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_alt"), FieldPanel("hero_caption")],
            heading=_("Hero image"),
        ),
        FieldPanel("body"),
        FieldPanel("lessons"),
        FieldPanel("outcomes"),
        FieldRowPanel([FieldPanel("result"), FieldPanel("evidence")], heading=_("Verdict")),
        MultiFieldPanel(
            [
                FieldPanel("event_session"),
                FieldPanel("source_event"),
                FieldPanel("source_url"),
                FieldPanel("authors"),
            ],
            heading=_("Source and credit"),
        ),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("external_id"), FieldPanel("last_reviewed")]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("lessons"),
        index.SearchField("body"),
        index.FilterField("country"),
        index.FilterField("language"),
        index.FilterField("case_date"),
        index.RelatedFields("organisation", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name")]),
    ]

    parent_page_types = ["cases.CaseIndexPage"]
    subpage_types = []
    # Not on every draft save: the site's search indexes what is published (search/lifecycle.py).
    # Wagtail's own index (the admin's page search) gets a case when it is published or
    # imported (cases/admin_search.py).
    search_auto_update = False

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_alt.strip():
            raise ValidationError(
                {"hero_alt": gettext("Describe the hero image for screen-reader users.")}
            )

    def get_admin_display_title(self):
        """A published contribution with unpublished changes is its contributor's proposed
        correction: moderators see it as such in their queue, under the live title."""
        if self.live and self.contributed and self.has_unpublished_changes:
            return gettext("Correction to “%(title)s”") % {"title": self.title}
        return super().get_admin_display_title()

    def discard_unpublished_changes(self) -> None:
        """The live version becomes the latest again: a rejected or abandoned correction is
        no longer the draft anyone edits or publishes next (it stays in the history)."""
        if not self.live or self.live_revision_id is None:
            return
        Page.objects.filter(pk=self.pk).update(
            latest_revision_id=self.live_revision_id,
            has_unpublished_changes=False,
            draft_title=self.title,
        )
        self.latest_revision_id = self.live_revision_id
        self.has_unpublished_changes = False
        self.draft_title = self.title

    def derive_fields(self) -> None:
        """What saving fills in from the other fields; bulk writers that bypass save()
        (cases/interchange/page_rows.py) call it too."""
        self._titles_on_one_line()
        if not self.external_id:
            self.external_id = self.slug
        if self.case_date:
            self.case_date = dates.truncate(self.case_date, self.case_date_precision)
        self.case_year = self.case_date.year if self.case_date else None

    def save(self, *args, **kwargs):
        self.derive_fields()
        return super().save(*args, **kwargs)

    @property
    def case_date_iso(self) -> str:
        """For <time datetime>: "2019", "2019-04" or "2019-04-18"."""
        return dates.to_iso(self.case_date, self.case_date_precision) if self.case_date else ""

    @property
    def case_date_text(self) -> str:
        """As the case page says it: "18 April 2019", "April 2019" or "2019"."""
        return dates.to_text(self.case_date, self.case_date_precision) if self.case_date else ""

    @property
    def case_date_short(self) -> str:
        """As a card says it: "Apr 2019" or "2019"."""
        if not self.case_date:
            return ""
        return dates.to_text(self.case_date, self.case_date_precision, long=False)

    @property
    def language_name(self):
        return language_name(self.language)

    @cached_property
    def lessons_by_kind(self):
        """[(kind label, [texts])] in the order worked, challenge, advice; empty kinds left out."""
        grouped = {kind.value: [] for kind in LessonKind}
        for block in self.lessons:
            grouped[block.block_type].append(block.value)
        return [(LessonKind(k).label, texts) for k, texts in grouped.items() if texts]

    @cached_property
    def picture(self):
        """The hero image when it is a real picture (cases.queries.REAL_PICTURE), else None:
        the demo library's generated illustrations are not shown on the case page. The
        hero image get_context fetches says which it is, so the page asks nothing more."""
        image = self.hero_image if self.hero_image_id else None
        if image is not None and not hasattr(image, "is_picture"):
            image = images_marked_as_pictures().filter(pk=image.pk).first()
        return image if image is not None and image.is_picture else None

    @property
    def author_names(self):
        return [block.value for block in self.authors]

    def get_context(self, request, *args, **kwargs):
        from cases.citation import Citation

        context = super().get_context(request, *args, **kwargs)
        context["citation"] = Citation.for_page(self)
        if self.hero_image_id:
            # One query for the image and whether it is a real picture (`picture`).
            self.hero_image = images_marked_as_pictures().filter(pk=self.hero_image_id).first()
        # One query each, and only when there is something to show.
        if self.event_session_id:
            from cases.models.events import EventSession

            context["event_session"] = EventSession.objects.filter(
                pk=self.event_session_id, event__live=True
            ).first()  # with its event (EventSessionManager)
        from cases.replications import trail

        # The evidence trail: one query however many replications there are.
        context["replications"] = trail.approved_for(self) if self.live else []
        context["replication_summary"] = trail.summary(context["replications"])
        if self.contributed and self.contributor_id:
            from commonground.members.models import MemberProfile

            context["contributor_profile"] = MemberProfile.objects.filter(
                user_id=self.contributor_id
            ).first()
        return context
