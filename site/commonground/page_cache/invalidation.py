"""What moves the library version for the page cache: every change an anonymous page shows.

Search's lifecycle (search/lifecycle.py) moves the version for every change that reaches the
search index. Pages show more than that (a theme's description, the home page, an event, a
question and its answers, an organisation's website, an editors' promotion), so here every
saved, deleted or re-related row of every model moves it too, in the transaction that makes
the change, except the models of NEVER_SHOWN: rows no anonymous page shows, or that change
when pages are read (a rendition made on first view, an analytics counter, a session). A
model added later therefore invalidates by default; a model wrongly left out of the list
only costs cache hits. Wagtail's publish, unpublish and move of any page move it as well.

Writes that send no signal (queryset.update(), bulk_create()) and change what pages show
announce themselves: the importer and organisation merges send cases.signals.cases_changed,
hiding a reported post calls cases.cache.bump_library_version.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from cases.cache import bump_library_version

NEVER_SHOWN = frozenset(
    {
        # The version itself, and what the server keeps for visitors and its own work.
        "cases.LibraryVersion",
        "sessions.Session",
        "django_tasks_database.DBTaskResult",
        "search.PendingChange",
        "search.EngineLease",
        # Search's own indexes follow the pages they index (moved with them); vectors key
        # the search pages themselves (page_cache.middleware SEARCH_VIEWS).
        "search.SearchEntry",
        "search.CaseVector",
        "wagtailsearch.IndexEntry",
        "wagtailsearch.SQLiteFTSIndexEntry",
        # Counted or made while pages are read.
        "analytics.CaseViewCount",
        "analytics.SearchCount",
        "wagtailimages.Rendition",
        "wagtailembeds.Embed",
        "wagtailsearchpromotions.Query",
        "wagtailsearchpromotions.QueryDailyHits",
        # A member's own things, shown only to them.
        "following.Follow",
        "following.SentItem",
        "following.DigestSettings",
        "following.CaseChange",
        "reading_lists.ReadingList",
        "reading_lists.ReadingListItem",
        "cases.ContributionStart",
        "cases.ContributionUpload",
        "cases.KeptContribution",
        "discussion.ContactMessage",
        "discussion.StoppedNotice",
        "account.EmailConfirmation",
        "socialaccount.SocialAccount",
        "socialaccount.SocialToken",
        "wagtailusers.UserProfile",
        # Editing and its history: drafts, workflows, comments, logs, references.
        "wagtailcore.Revision",
        "wagtailcore.WorkflowState",
        "wagtailcore.TaskState",
        "wagtailcore.PageLogEntry",
        "wagtailcore.ModelLogEntry",
        "wagtailcore.ReferenceIndex",
        "wagtailcore.Comment",
        "wagtailcore.CommentReply",
        "wagtailcore.PageSubscription",
        "wagtailcore.UploadedFile",
        "wagtailadmin.EditingSession",
        "wagtailadmin.FormState",
        "admin.LogEntry",
        "cases.ModerationRecord",
    }
)
# Saves that write only these fields change nothing a page shows: a sign-in, a member's
# interface language, a draft saved or a page locked in the admin.
UNSHOWN_FIELDS = {
    "auth.User": frozenset({"last_login"}),
    "members.MemberProfile": frozenset({"language"}),
    Page: frozenset(
        {
            "latest_revision",
            "latest_revision_created_at",
            "draft_title",
            "has_unpublished_changes",
            "wagtail_admin_comments",
            "locked",
            "locked_at",
            "locked_by",
        }
    ),
}


# Rows that show nowhere when new: an organisation is public once a published case names
# it (cases.models Organisation.objects.public()), a member once they post or contribute;
# both of those move the version. So a contributor's draft naming a new organisation, or a
# sign-up, leaves every cached page alone.
UNSHOWN_WHEN_NEW = frozenset({"cases.Organisation", "auth.User", "members.MemberProfile"})


def _unshown_fields(model) -> frozenset:
    if issubclass(model, Page):
        return UNSHOWN_FIELDS[Page]
    return UNSHOWN_FIELDS.get(model._meta.label, frozenset())


def _saved(sender, created=False, update_fields=None, **kwargs):
    if created and sender._meta.label in UNSHOWN_WHEN_NEW:
        return
    if update_fields and set(update_fields) <= _unshown_fields(sender):
        return
    bump_library_version()


def _changed(**kwargs):
    bump_library_version()


def _related(action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        bump_library_version()


def shown_models() -> list:
    """Every installed model whose rows an anonymous page may show."""
    return [m for m in apps.get_models() if m._meta.label not in NEVER_SHOWN]


def connect() -> None:
    """Connected per model (not to every sender), so the models of NEVER_SHOWN keep
    Django's fast deletes."""
    for model in shown_models():
        post_save.connect(_saved, sender=model, dispatch_uid="page_cache")
        post_delete.connect(_changed, sender=model, dispatch_uid="page_cache")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through is not None and through._meta.label not in NEVER_SHOWN:
                m2m_changed.connect(_related, sender=through, dispatch_uid="page_cache")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_changed, dispatch_uid="page_cache")
