from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search by theme: one service, two engines (filled in by Part 2 of the roadmap)."""

    name = "search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"
