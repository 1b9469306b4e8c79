from cases.models.pages import CaseIndexPage, CaseStudyPage
from cases.models.snippets import Organisation, Platform, Theme

__all__ = ["CaseIndexPage", "CaseStudyPage", "Organisation", "Platform", "Theme"]
