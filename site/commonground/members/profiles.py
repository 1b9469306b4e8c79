"""Creating profiles and their handles. A handle comes from the display name, never from
the email address; users created another way (createsuperuser, the admin, single sign-on
without our signup form) get a neutral `member-<id>` handle until they edit their profile."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from commonground.members.models import MemberProfile

HANDLE_MAX = 50  # leaves room for a "-123" suffix within the field's 60 characters


def neutral_handle(user) -> str:
    return f"member-{user.pk}"


def handle_candidates(display_name: str, user):
    """`jane-doe`, `jane-doe-2`, `jane-doe-3`, …; `member-<id>` when the name has no
    letters or digits that survive slugifying (e.g. a name written only in emoji)."""
    base = slugify(display_name)[:HANDLE_MAX].strip("-")
    if not base:
        base = neutral_handle(user)
    yield base
    number = 2
    while True:
        yield f"{base}-{number}"
        number += 1


def unique_handle(display_name: str, user) -> str:
    taken = MemberProfile.objects.exclude(user=user).values_list("handle", flat=True)
    for candidate in handle_candidates(display_name, user):
        if not taken.filter(handle=candidate).exists():
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def create_profile(user, display_name: str) -> MemberProfile:
    """The member's profile with a unique handle from `display_name`; a few retries cover
    two people with the same name signing up at the same moment."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                profile, _created = MemberProfile.objects.update_or_create(
                    user=user,
                    defaults={
                        "display_name": display_name,
                        "handle": unique_handle(display_name, user),
                    },
                )
            user.profile = profile
            return profile
        except IntegrityError:
            continue
    raise IntegrityError(f"Could not find a free handle for {display_name!r}")


def neutral_name(user) -> str:
    return f"Member {user.pk}"


def ensure_profile(user) -> MemberProfile:
    """The user's profile, created on first use (`member-<id>`) for accounts that have none."""
    try:
        return user.profile
    except MemberProfile.DoesNotExist:
        pass
    name = neutral_name(user)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                profile, _created = MemberProfile.objects.get_or_create(
                    user=user,
                    defaults={"display_name": name, "handle": unique_handle(name, user)},
                )
                break
        except IntegrityError:
            continue
    else:
        raise IntegrityError(f"Could not create a profile for user {user.pk}")
    user.profile = profile
    return profile


def user_display(user) -> str:
    """How allauth names the member in messages ("Signed in as …"): the display name,
    never the username (which allauth derives from the email address)."""
    if not getattr(user, "pk", None):
        return ""
    return ensure_profile(user).display_name


def member_name(user) -> str:
    """The name staff see (Wagtail names users by get_full_name(), falling back to the
    username, which allauth derives from the e-mail address): the profile's display name,
    else the first and last names staff gave, else an administrator's chosen username,
    else "Member <id>" — never the address."""
    try:
        display_name = user.profile.display_name
    except MemberProfile.DoesNotExist:
        display_name = ""
    if display_name and display_name != neutral_name(user):
        return display_name
    full_name = f"{user.first_name} {user.last_name}".strip()
    if full_name:
        return full_name
    if user.is_superuser:
        # An administrator made with `make admin` chose their username ("admin"); "Member
        # 1" on their own dashboard would only puzzle them.
        return user.get_username()
    return display_name or neutral_name(user)
