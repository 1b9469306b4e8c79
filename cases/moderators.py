"""Who moderates contributions: the Moderators group (Wagtail's own, given the review task
by migration 0005), and who Wagtail will e-mail when a contribution is sent for review."""

from allauth.account.models import EmailAddress

from django.contrib.auth.models import Group

from wagtail.admin.signal_handlers import task_submission_email_notifier
from wagtail.models import TaskState

from cases.models import ModeratorReviewTask
from commonground.members.addresses import drop_other_claims

GROUP = "Moderators"


def make_moderating_admin(user) -> None:
    """A superuser made on the command line (`make admin`) who can sign in at once and
    moderates: the address typed there counts as verified (allauth asks for a verified one)."""
    email = user.email.strip().lower()
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    address, _created = EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    EmailAddress.objects.filter(user=user).exclude(pk=address.pk).update(primary=False)
    drop_other_claims(address)
    user.groups.add(Group.objects.get_or_create(name=GROUP)[0])


def notified_of_submissions() -> list:
    """The people Wagtail e-mails about a new submission, by its own rule (the review task's
    groups plus superusers; active, with an address, notices not turned off), by name."""
    recipients = set()
    for task in ModeratorReviewTask.objects.filter(active=True):
        recipients |= task_submission_email_notifier.get_valid_recipients(TaskState(task=task))
    return sorted(recipients, key=lambda user: user.get_full_name().casefold())
