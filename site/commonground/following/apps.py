from django.apps import AppConfig


class FollowingConfig(AppConfig):
    """Members follow themes, countries, organisations and searches, and get digests of what
    is new there (commonground/following/digests.py)."""

    name = "commonground.following"
    label = "following"
    verbose_name = "Following"

    def ready(self):
        from wagtail.signals import page_published

        from cases.models import CaseStudyPage
        from cases.signals import cases_published
        from commonground.following.changes import record_publication, record_publications

        page_published.connect(record_publication, sender=CaseStudyPage)
        cases_published.connect(record_publications)
