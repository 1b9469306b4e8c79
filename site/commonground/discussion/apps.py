from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    """Questions and answers on a case, messages to its contributor, and the verified
    practitioner badge. It may import cases; cases and search never import it (the case page
    and the member profile load its template tags, load_demo calls its hook)."""

    name = "commonground.discussion"
    label = "discussion"
    verbose_name = "Discussion"
