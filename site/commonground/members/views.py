"""Public member profiles, and the member's own account pages: profile, data, deletion."""

import json

from allauth.account.models import EmailAddress

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases.contribute.submissions import delete_draft, submissions_of
from cases.contribute.writing import contribution_text
from cases.models import CaseStudyPage
from cases.queries import case_cards
from cases.replications.rules import replications_data
from cases.views import paginate
from commonground.base_url import public_url
from commonground.discussion.rules import posts_data
from commonground.following.targets import following_data
from commonground.members.forms import DeleteAccountForm, ProfileForm
from commonground.members.models import MemberProfile
from commonground.members.profiles import ensure_profile
from commonground.reading_lists.lists import lists_data


def profile(request, handle):
    """A member's public profile and their published contributions, newest first. Never
    the email address."""
    member = get_object_or_404(MemberProfile.objects.select_related("user"), handle=handle)
    contributions = case_cards(
        CaseStudyPage.objects.live().public().filter(contributor_id=member.user_id)
    ).order_by("-first_published_at", "-pk")
    page_obj = paginate(request, contributions)
    return render(request, "members/profile.html", {"member": member, "page_obj": page_obj})


@never_cache
@login_required
def edit_profile(request):
    member = ensure_profile(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=member)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile has been saved."))
            return redirect("account_profile")
    else:
        form = ProfileForm(instance=member)
    return render(request, "members/profile_edit.html", {"form": form, "member": member})


def member_data(user) -> dict:
    """Everything the site holds about a member, for the download."""
    member = ensure_profile(user)
    base_url = public_url()
    contributions = []
    for item in submissions_of(user):
        page = item.page
        contributions.append(
            {
                "title": page.draft_title or page.title,
                "state": item.label.lower(),
                "moderator_comment": item.comment,
                "has_unpublished_changes": page.has_unpublished_changes,
                "url": base_url + page.url if page.live and page.url else None,
                "first_published_at": page.first_published_at,
                "last_published_at": page.last_published_at,
                # What the member wrote, drafts included (the latest revision).
                "text": contribution_text(page),
            }
        )
    return {
        "exported_at": timezone.now(),
        "account": {
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
            ],
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "profile": {
            "handle": member.handle,
            "public_url": base_url + member.get_absolute_url(),
            "display_name": member.display_name,
            "organisation": member.organisation,
            "country": member.country.code or "",
            "role": member.role,
            "bio": member.bio,
            "avatar": base_url + member.avatar.url if member.avatar else None,
            "created_at": member.created_at,
        },
        "contributions": contributions,
        "following": following_data(user, base_url),
        "reading_lists": lists_data(user, base_url),
        "questions_and_answers": posts_data(user, base_url),
        "replications": replications_data(user, base_url),
    }


@never_cache
@login_required
def data_download(request):
    data = member_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"commonground-{data['profile']['handle']}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        remove_account(user, withdraw=form.cleaned_data["contributions"] == form.WITHDRAW)
        logout(request)
        request.session["account_deleted"] = True
        return redirect("account_deleted")
    live_count = CaseStudyPage.objects.live().filter(contributor=user).count()
    return render(request, "members/delete_account.html", {"form": form, "live_count": live_count})


def remove_account(user, *, withdraw: bool) -> None:
    """Deletes the member's account and profile. Their drafts (anything not live) go too;
    live contributions are unpublished when `withdraw`, otherwise they stay, credited to
    "former member" (the contributor link is SET_NULL, `contributed` stays True)."""
    avatar = user.profile.avatar if hasattr(user, "profile") else None
    with transaction.atomic():
        theirs = CaseStudyPage.objects.filter(contributor=user)
        for page in theirs.filter(live=False):
            delete_draft(page)  # with the images and organisations only it named
        if withdraw:
            for page in theirs.filter(live=True):
                page.unpublish(user=None)
        user.delete()
    if avatar:
        avatar.storage.delete(avatar.name)


def account_deleted(request):
    """Shown once, right after deletion; afterwards it sends people home."""
    if not request.session.pop("account_deleted", False):
        return redirect("/")
    return render(request, "members/account_deleted.html")


def rate_limited(request, exception=None):
    """allauth's 429 response (handler429 in the root URLconf)."""
    return render(request, "account/429.html", status=429)
