"""Query helpers shared by every listing, so each page runs a fixed number of queries."""

from django_countries import countries

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet

from wagtail.images import get_image_model

from cases.demo import ILLUSTRATIONS_COLLECTION

# A real picture: an image a contributor or an editor uploaded, not one of the demo library's
# generated illustrations (cases/demo), which tell the reader nothing about the case. Cards
# and case pages show only real pictures.
REAL_PICTURE = ~Q(collection__name=ILLUSTRATIONS_COLLECTION)


def images_marked_as_pictures() -> QuerySet:
    """Images, each with `is_picture`: whether it is a real picture (REAL_PICTURE)."""
    is_picture = ExpressionWrapper(REAL_PICTURE, output_field=BooleanField())
    return get_image_model().objects.annotate(is_picture=is_picture)


def case_cards(queryset: QuerySet) -> QuerySet:
    """Everything a case card shows, fetched in a constant number of queries.

    A card shows a picture (`card_picture`) only where the case has a real one: the demo's
    generated illustrations are decoration, and cards are kept dense enough to compare
    several cases at a glance."""
    pictures = get_image_model().objects.filter(REAL_PICTURE).prefetch_renditions()
    return queryset.select_related("organisation").prefetch_related(
        "themes", Prefetch("hero_image", queryset=pictures, to_attr="card_picture")
    )


def themes_with_counts() -> list:
    """Every theme with its number of published cases, counted on the library snapshot, in
    the order of the names people read."""
    from cases.models import Theme
    from cases.snapshot import current_snapshot

    counts = current_snapshot().counts({})["theme"]
    themes = sorted(Theme.objects.all(), key=lambda theme: theme.display_name.lower())
    for theme in themes:
        theme.case_count = counts.get(theme.slug, 0)
    return themes


def library_countries() -> list[dict]:
    """[{code, name, count}] of every country with published cases, by name."""
    from cases.snapshot import current_snapshot

    counts = current_snapshot().counts({})["country"]
    rows = [{"code": c, "name": countries.name(c), "count": n} for c, n in counts.items()]
    return sorted(rows, key=lambda row: row["name"])


def live_case_count() -> int:
    from cases.snapshot import current_snapshot

    return len(current_snapshot())
