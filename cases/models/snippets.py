"""The taxonomy a case study is filed under: themes, organisations and platforms.

These are Wagtail snippets so editors can fix a name or description in the admin.
"""

from django_countries.fields import CountryField

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from cases import limits
from commonground.seeded_text import seeded
from commonground.text import SingleLineCharField, single_line

ALIAS_LENGTH = 100
MAX_ALIASES = 20


class SlugFromNameMixin(models.Model):
    """Fills the slug from the name when an editor leaves it empty."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.name)
        super().save(*args, **kwargs)


def unique_slug(model, name: str, taken: set[str] | None = None) -> str:
    """A slug for `name` not yet used by `model` nor kept as a merged organisation's
    address (FormerOrganisationSlug). A batch passes `taken`, every such slug loaded once
    by taken_slugs() plus those it has given out, and the database is not asked again."""
    base = slugify(name, allow_unicode=False)[:90] or "item"
    slug, n = base, 2
    while (
        slug in taken
        if taken is not None
        else model.objects.filter(slug=slug).exists() or _redirects(model, slug)
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug


def taken_slugs(model) -> set[str]:
    """Every slug unique_slug() must not give for `model`."""
    taken = set(model.objects.values_list("slug", flat=True))
    if model is Organisation:
        taken |= set(FormerOrganisationSlug.objects.values_list("slug", flat=True))
    return taken


def _redirects(model, slug: str) -> bool:
    return model is Organisation and FormerOrganisationSlug.objects.filter(slug=slug).exists()


class Theme(SlugFromNameMixin, index.Indexed, models.Model):
    """One of the site's fixed themes (see the 0002 data migration)."""

    name = SingleLineCharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    description = SingleLineCharField(
        max_length=300, help_text=_("One sentence shown on theme pages.")
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cases:theme", args=[self.slug])

    @property
    def display_name(self) -> str:
        """The name shown to people: a seeded name in their language, an edited one as typed."""
        return seeded(self.name)

    @property
    def display_description(self) -> str:
        return seeded(self.description)


class OrganisationQuerySet(models.QuerySet):
    def public(self):
        """Organisations with a published case. One named only by unpublished contributions
        is not public: no page, filter value, facet label or suggestion shows it."""
        from cases.models.pages import CaseStudyPage

        return self.filter(
            Exists(CaseStudyPage.objects.live().filter(organisation=OuterRef("pk")))
        )

    def matching(self, typed: str) -> "Organisation | None":
        """The organisation a person means by `typed`: its name or one of its aliases,
        whatever the case and spacing ("gmp", "Greater Manchester Police "). A name beats
        an alias, so an alias shared by two organisations never hides either's name."""
        key = name_key(typed)
        if not key:
            return None
        words = " ".join(single_line(typed).split())
        candidates = self.filter(
            Q(name__iexact=words) | Q(aliases__icontains=words.split(" ")[0])
        ).order_by("pk")
        candidates = list(candidates)
        for organisation in candidates:
            if name_key(organisation.name) == key:
                return organisation
        for organisation in candidates:
            if key in {name_key(alias) for alias in organisation.alias_list}:
                return organisation
        return None

    def suggestions(self) -> list[tuple[str, str]]:
        """[(value, label)] for the names people may type: every public organisation's
        name, and each alias labelled with the name it stands for."""
        options = []
        for name, aliases in self.public().order_by("name").values_list("name", "aliases"):
            options.append((name, ""))
            options += [(alias, name) for alias in alias_lines(aliases)]
        return options


def name_key(text: str) -> str:
    """What two spellings of one name share: case and runs of spaces do not count."""
    return " ".join(single_line(text).split()).casefold()


class Organisation(SlugFromNameMixin, index.Indexed, models.Model):
    """A police or law-enforcement organisation; matched by name on import."""

    name = SingleLineCharField(max_length=limits.ORGANISATION, unique=True)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    country = CountryField()
    website = models.URLField(blank=True)
    aliases = models.TextField(
        blank=True,
        help_text=(
            "Other names people search for, one a line: abbreviations and short names "
            "(GMP, the Met, Met Police). Search finds the organisation's cases by them."
        ),
    )

    objects = OrganisationQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("country"),
        FieldPanel("website"),
        FieldPanel("aliases"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.aliases = "\n".join(alias_lines(self.aliases))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cases:organisation", args=[self.slug])

    def clean(self):
        super().clean()
        self.aliases = "\n".join(alias_lines(self.aliases))
        former = FormerOrganisationSlug.objects.filter(slug=self.slug).exclude(organisation=self)
        if self.slug and former.exists():
            raise ValidationError(
                {
                    "slug": _(
                        "This address belonged to an organisation merged into %(name)s and "
                        "now leads there. Choose another."
                    )
                    % {"name": former.get().organisation.name}
                }
            )

    @property
    def alias_list(self) -> list[str]:
        return alias_lines(self.aliases)


class FormerOrganisationSlug(models.Model):
    """The address (slug) of an organisation merged into another (cases/organisations.py):
    /organisations/<slug>/ and ?organisation=<slug> lead to `organisation` for good. A
    merge into a third carries the rows along, so every old address reaches the kept one in
    one step; no new organisation is given a slug kept here."""

    slug = models.SlugField(max_length=100, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="former_slugs"
    )

    def __str__(self):
        return f"{self.slug} → {self.organisation.slug}"


def alias_lines(text: str) -> list[str]:
    """Each alias on one line (commonground.text.single_line), blanks and repeats dropped,
    limited to ALIAS_LENGTH characters and MAX_ALIASES entries."""
    lines = (single_line(line)[:ALIAS_LENGTH] for line in (text or "").splitlines())
    unique = dict.fromkeys(line for line in lines if line)
    return list(unique)[:MAX_ALIASES]


class Platform(SlugFromNameMixin, index.Indexed, models.Model):
    """A social media platform or channel (Facebook, X, a force website), a list editors
    keep: a renamed platform keeps its former names, so "Twitter" still finds X."""

    name = SingleLineCharField(max_length=limits.PLATFORM, unique=True)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    former_names = models.TextField(
        blank=True,
        help_text=_(
            "Names it had before or goes by, one a line (X: Twitter). Imports that use "
            "them file the case under this platform, and search finds it by them."
        ),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("former_names")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.former_names = "\n".join(alias_lines(self.former_names))
        super().save(*args, **kwargs)

    @property
    def names(self) -> list[str]:
        """Its name, then its former names."""
        return [self.name, *alias_lines(self.former_names)]

    @property
    def label(self) -> str:
        """The name as lists show it: "X (formerly Twitter)"."""
        former = alias_lines(self.former_names)
        if not former:
            return self.name
        return gettext("%(name)s (formerly %(former)s)") % {
            "name": self.name,
            "former": ", ".join(former),
        }
