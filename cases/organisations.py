"""Merging duplicate organisations: "GMP", "Greater Manchester Police " and "Greater
Manchester Police" entered as three become one, the others' names its aliases.

Every case, live or draft, and every revision (they name the organisation by id) moves to
the kept organisation before the duplicates are deleted, so nothing a page, a draft or its
history names is lost. The moved published cases reach the search indexes and the library's
cached counts through the one lifecycle (search/lifecycle.py), by the same signal the
importer sends. The duplicates' addresses are kept (FormerOrganisationSlug) and lead to the
kept organisation for good: its page, and any listing, search or export filtered by them
(`MergedOrganisationRedirects`).
"""

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log
from wagtail.models import ReferenceIndex, Revision

from cases import moderators
from cases.models import CaseStudyPage, FormerOrganisationSlug, Organisation, Replication
from cases.models.snippets import MAX_ALIASES, alias_lines, name_key
from cases.signals import cases_changed


def can_merge(user) -> bool:
    """Moderators and editors (who may change and delete organisations) merge them."""
    if not user.is_active or not user.has_perm("wagtailadmin.access_admin"):
        return False
    if user.has_perms(["cases.change_organisation", "cases.delete_organisation"]):
        return True
    return Group.objects.filter(name=moderators.GROUP, user=user).exists()


@transaction.atomic
def merge_organisations(keep: Organisation, duplicates, user=None) -> list[int]:
    """Moves everything naming the duplicates to `keep`, adds their names and aliases to
    its aliases and deletes them. Returns the ids of the cases moved."""
    duplicates = [d for d in duplicates if d.pk != keep.pk]
    if not duplicates:
        return []
    ids = [d.pk for d in duplicates]
    keep = Organisation.objects.select_for_update().get(pk=keep.pk)
    pages = CaseStudyPage.objects.filter(organisation_id__in=ids)
    moved = list(pages.values_list("pk", flat=True))
    live = list(pages.filter(live=True).values_list("pk", flat=True))
    pages.update(organisation=keep)
    for revision in Revision.page_revisions.filter(content__organisation__in=ids):
        revision.content["organisation"] = keep.pk
        revision.save(update_fields=["content"])
    for page in CaseStudyPage.objects.filter(pk__in=moved):
        ReferenceIndex.create_or_update_for_object(page)

    known = {name_key(keep.name)}
    aliases = []
    for alias in [*keep.alias_list, *(n for d in duplicates for n in [d.name, *d.alias_list])]:
        if name_key(alias) not in known:
            known.add(name_key(alias))
            aliases.append(alias)
    keep.aliases = "\n".join(alias_lines("\n".join(aliases[:MAX_ALIASES])))
    if not keep.website:
        keep.website = next((d.website for d in duplicates if d.website), "")
    keep.save()
    # Replications matched to a duplicate now name the kept organisation.
    Replication.objects.filter(organisation_id__in=ids).update(organisation=keep)
    # Their addresses, and those of organisations merged into them before, lead to `keep`.
    FormerOrganisationSlug.objects.filter(organisation_id__in=ids).update(organisation=keep)
    # A duplicate may hold a kept address itself (the live organisation wins): it is now its.
    FormerOrganisationSlug.objects.filter(slug__in=[d.slug for d in duplicates]).delete()
    FormerOrganisationSlug.objects.bulk_create(
        [FormerOrganisationSlug(slug=d.slug, organisation=keep) for d in duplicates]
    )
    log(instance=keep, action="wagtail.edit", user=user)
    for duplicate in duplicates:
        log(instance=duplicate, action="wagtail.delete", user=user)
        duplicate.delete()
    # The moved published cases now show the kept name: re-indexed, counts recomputed.
    cases_changed.send(sender=Organisation, page_ids=live)
    return moved


class MergeForm(forms.Form):
    duplicates = forms.ModelMultipleChoiceField(
        label=_("Duplicates to merge"),
        queryset=Organisation.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Their cases, drafts and revisions move to the organisation you keep, their "
            "names become its aliases, and they are deleted."
        ),
    )
    keep = forms.ModelChoiceField(
        label=_("Organisation to keep"),
        queryset=Organisation.objects.order_by("name"),
        empty_label=_("Choose the organisation to keep"),
    )

    def clean(self):
        cleaned = super().clean()
        keep, duplicates = cleaned.get("keep"), cleaned.get("duplicates")
        if keep is not None and duplicates is not None:
            others = [d for d in duplicates if d.pk != keep.pk]
            if not others:
                raise ValidationError(
                    _("Choose at least one duplicate other than the organisation you keep.")
                )
            cleaned["duplicates"] = others
        return cleaned


def merged_into(slugs) -> dict[str, str]:
    """{slug: the kept organisation's slug} for the given slugs that belonged to merged
    organisations. A live organisation's slug is never one (Organisation.clean refuses it);
    should one be both, the live organisation wins."""
    slugs = {slug.strip() for slug in slugs if slug.strip()}
    if not slugs:
        return {}
    former = FormerOrganisationSlug.objects.filter(slug__in=slugs).exclude(
        slug__in=Organisation.objects.filter(slug__in=slugs).values("slug")
    )
    return dict(former.values_list("slug", "organisation__slug"))


class MergedOrganisationRedirects:
    """An address filtered by a merged organisation (?organisation=<old slug>: the library,
    search, the API and its CSV and JSON Lines exports) moves permanently to the same
    address filtered by the organisation it was merged into. The admin is left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = request.GET.getlist("organisation")
        if values and request.method in ("GET", "HEAD") and not self._in_admin(request.path):
            moved = merged_into(values)
            if moved:
                query = request.GET.copy()
                kept = (moved.get(value.strip(), value) for value in values)
                query.setlist("organisation", list(dict.fromkeys(kept)))
                return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")
        return self.get_response(request)

    @staticmethod
    def _in_admin(path: str) -> bool:
        """Looked up per request (not at start-up), so a URLconf without the admins (a test's
        own) still works."""
        return path.startswith((reverse("wagtailadmin_home"), reverse("admin:index")))
