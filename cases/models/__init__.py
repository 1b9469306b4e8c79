from cases.models.contributions import ContributionStart, ContributionUpload, KeptContribution
from cases.models.events import EventIndexPage, EventPage, EventSession
from cases.models.library import LibraryVersion
from cases.models.moderation import ModerationRecord, ModeratorReviewTask
from cases.models.pages import CaseIndexPage, CaseStudyPage
from cases.models.replications import Replication
from cases.models.snippets import FormerOrganisationSlug, Organisation, Platform, Theme

__all__ = [
    "CaseIndexPage",
    "CaseStudyPage",
    "ContributionStart",
    "ContributionUpload",
    "EventIndexPage",
    "EventPage",
    "EventSession",
    "FormerOrganisationSlug",
    "KeptContribution",
    "LibraryVersion",
    "ModerationRecord",
    "ModeratorReviewTask",
    "Organisation",
    "Platform",
    "Replication",
    "Theme",
]
