from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """What people look for: daily counts of searches and case views, no personal data
    (commonground/analytics/recording.py), and the editors' report in the Wagtail admin."""

    name = "commonground.analytics"
    label = "analytics"
    verbose_name = "What people look for"
