"""Who holds an e-mail address. An address belongs to an account only once it is verified
there; until then it is a claim (a signup or a change of address waiting for its link), and
a claim never stops the address's holder from signing up, receives no password reset, and
is dropped as soon as another account verifies the address."""

from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model


def verified_holders(email: str) -> list:
    """The active accounts on which `email` is verified (at most one: allauth's
    unique_verified_email constraint)."""
    addresses = EmailAddress.objects.filter(email__iexact=email, verified=True)
    return [address.user for address in addresses.select_related("user") if address.user.is_active]


def is_taken(email: str) -> bool:
    """Whether `email` belongs to an account: verified on one, or the address of an account
    made outside allauth (createsuperuser, the admin) that has no addresses recorded yet."""
    if EmailAddress.objects.filter(email__iexact=email, verified=True).exists():
        return True
    return get_user_model().objects.filter(email__iexact=email, emailaddress__isnull=True).exists()


def is_change_of_address(address: EmailAddress) -> bool:
    """Whether verifying `address` would replace a verified address of the same account
    (a change of address, as opposed to the first verification after signing up)."""
    return (
        EmailAddress.objects.filter(user_id=address.user_id, verified=True)
        .exclude(pk=address.pk)
        .exists()
    )


def drop_other_claims(address: EmailAddress) -> None:
    """Removes every unverified claim to `address` on other accounts, now that it is verified
    here: their confirmation links stop working with the row they point to."""
    claims = EmailAddress.objects.filter(email__iexact=address.email, verified=False)
    for claim in claims.exclude(user_id=address.user_id).select_related("user"):
        claim.remove()
