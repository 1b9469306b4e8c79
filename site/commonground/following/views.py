"""Following: the Follow and Alert me buttons, the member's following page, and the links in
digests that work without signing in (digests off, stop one follow)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from commonground import tokens
from commonground.following import targets
from commonground.following.forms import DigestSettingsForm
from commonground.following.models import DigestSettings, Follow


def follow_limit() -> int:
    return settings.FOLLOWS_PER_MEMBER


def digest_settings(user) -> DigestSettings:
    return DigestSettings.objects.get_or_create(user=user, defaults={"since": timezone.now()})[0]


def _back(request, default: str = "following:mine") -> HttpResponseRedirect:
    """Back to the page the button was on (a path on this site), else `default`."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect(default)


@never_cache
@require_POST
def follow(request):
    """Follow what the button names. A visitor not signed in is sent to sign in, then back
    to the page the button was on."""
    if not request.user.is_authenticated:
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("following:mine")
        return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
    try:
        new = targets.new_follow(
            request.user, request.POST.get("kind", ""), request.POST.get("value", "")
        )
    except targets.NotFollowable as exc:
        messages.error(request, str(exc))
        return _back(request)
    described = targets.describe(new)
    if Follow.objects.filter(user=request.user, key=new.make_key()).exists():
        if described["search"]:
            already = _("You already get alerts for the search %(name)s.")
        else:
            already = _("You already follow “%(name)s”.")
        messages.info(request, already % {"name": described["name"]})
        return _back(request)
    if Follow.objects.filter(user=request.user).count() >= follow_limit():
        messages.error(
            request,
            _(
                "You already follow %(limit)s things, the most one member can. Stop "
                "following something on your following page first."
            )
            % {"limit": follow_limit()},
        )
        return _back(request)
    try:
        with transaction.atomic():
            new.save()
    except IntegrityError:  # the same follow posted twice at once
        pass
    if described["search"]:
        done = _("You now get alerts for the search %(name)s.")
    else:
        done = _("You now follow “%(name)s”.")
    messages.success(request, done % {"name": described["name"]})
    if digest_settings(request.user).frequency == DigestSettings.Frequency.OFF:
        messages.info(
            request,
            _(
                "Your digest e-mails are off. Choose daily or weekly on your following page "
                "to hear of new cases."
            ),
        )
    return _back(request)


@never_cache
@login_required
@require_POST
def unfollow(request, pk):
    """Stop following; only the member's own follows can be removed."""
    follow = get_object_or_404(
        Follow.objects.select_related("theme", "organisation"), pk=pk, user=request.user
    )
    described = targets.describe(follow)
    follow.delete()
    if described["search"]:
        done = _("You no longer get alerts for the search %(name)s.")
    else:
        done = _("You no longer follow “%(name)s”.")
    messages.success(request, done % {"name": described["name"]})
    return _back(request)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mine(request):
    """The member's follows, each with a remove button, and how often digests come."""
    digest = digest_settings(request.user)
    was_off = digest.frequency == DigestSettings.Frequency.OFF
    form = DigestSettingsForm(request.POST or None, instance=digest)
    if request.method == "POST" and form.is_valid():
        digest = form.save(commit=False)
        if was_off and digest.frequency != DigestSettings.Frequency.OFF:
            digest.since = timezone.now()  # back on: what is new from now
        digest.save()
        messages.success(request, _("Your digest setting has been saved."))
        return redirect("following:mine")
    follows = Follow.objects.filter(user=request.user).select_related("theme", "organisation")
    context = {
        "form": form,
        "follows": [(f, targets.describe(f)) for f in follows],
        "limit": follow_limit(),
    }
    return render(request, "following/mine.html", context)


def _token_page(request, template, salt, token, act, context=None):
    """GET: a page asking to confirm, with a button; POST (the button, or a mail client's
    one-click unsubscribe): do it. A bad or expired token gets a page that says so."""
    try:
        data = tokens.read(salt, token)
    except tokens.BadToken as exc:
        return tokens.bad_token_page(request, exc, following_url=reverse("following:mine"))
    shown = context(data) if context else {}
    if request.method == "POST":
        act(data)
    return render(request, template, {"done": request.method == "POST", **shown})


def _digests_off(data):
    DigestSettings.objects.filter(user_id=data["u"]).update(frequency=DigestSettings.Frequency.OFF)


@never_cache
@csrf_exempt  # the signed token is the proof; mail clients post without a CSRF token
@require_http_methods(["GET", "POST"])
def digests_off(request, token):
    return _token_page(
        request, "following/digests_off.html", tokens.DIGESTS_OFF, token, _digests_off
    )


def _stop(data):
    Follow.objects.filter(pk=data["f"], user_id=data["u"]).delete()


def _stop_context(data):
    follow = (
        Follow.objects.select_related("theme", "organisation")
        .filter(pk=data["f"], user_id=data["u"])
        .first()
    )
    return {"follow": targets.describe(follow) if follow else None}


@never_cache
@require_http_methods(["GET", "POST"])
def stop(request, token):
    """Stop one follow from a digest's link: a page asking to confirm, whose form (with its
    CSRF token: only the one-click unsubscribe above is exempt) does it."""
    return _token_page(
        request, "following/stop.html", tokens.STOP_FOLLOW, token, _stop, _stop_context
    )
