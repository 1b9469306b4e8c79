from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search by theme: one service, two engines (database and Elasticsearch)."""

    name = "search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search import lifecycle

        lifecycle.connect()
