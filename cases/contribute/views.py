"""/contribute/: members write case studies and conference write-ups for moderators to review.

Only members with a verified email address may contribute. Each view finds pages through the
member's own contributions, so another member's drafts answer 404, as if they did not exist.
"""

import uuid
from urllib.parse import urlencode

from allauth.account.decorators import verified_email_required

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cases.contribute.allowance import LimitReached
from cases.contribute.forms import ContributionForm
from cases.contribute.kept import Reason as KeptReason
from cases.contribute.kept import as_form_data, forget, keep, kept_for
from cases.contribute.submissions import (
    AlreadyStarted,
    State,
    correction_base,
    delete_draft,
    discard_correction,
    save_draft,
    submission,
    submissions_of,
    submit,
    withdraw_from_review,
)
from cases.contribute.uploads import image_token
from cases.models import CaseStudyPage
from commonground.languages import remember_language, set_language_cookie, supported

ACTIONS = {"save", "preview", "submit"}


def resets_text(exc: LimitReached) -> str:
    """The refusal and when the allowance frees a place, e.g. "… It resets at 14:05 on
    8 December." """
    if exc.resets_at is None:
        return str(exc)
    at = timezone.localtime(exc.resets_at)
    return _("%(refusal)s It resets at %(time)s on %(date)s.") % {
        "refusal": exc,
        "time": dateformat.format(at, "H:i"),
        "date": dateformat.format(at, "j F"),
    }


# Why a contribution cannot be edited, corrected or sent, one whole sentence per state (a
# state's name put into a sentence reads badly in German and breaks agreement elsewhere),
# keyed by the state, or ("correction", state) for a correction's own.
NOT_EDITABLE = {
    State.IN_REVIEW: gettext_lazy("“%(title)s” is in review, so it cannot be edited now."),
    ("correction", State.IN_REVIEW): gettext_lazy(
        "Your correction of “%(title)s” is in review, so it cannot be edited now."
    ),
    State.PUBLISHED: gettext_lazy("“%(title)s” is published, so it cannot be edited now."),
    State.REJECTED: gettext_lazy("“%(title)s” was rejected, so it cannot be edited."),
}
NOT_CORRECTABLE = {
    State.DRAFT: gettext_lazy(
        "“%(title)s” is still a draft, so no correction can be proposed now."
    ),
    State.IN_REVIEW: gettext_lazy(
        "“%(title)s” is in review, so no correction can be proposed now."
    ),
    ("correction", State.IN_REVIEW): gettext_lazy(
        "Your correction of “%(title)s” is in review, so no other can be proposed now."
    ),
    State.CHANGES_REQUESTED: gettext_lazy(
        "The moderators asked for changes to “%(title)s”, so no correction can be proposed now."
    ),
    State.REJECTED: gettext_lazy("“%(title)s” was rejected, so no correction can be proposed."),
}
NOT_SENDABLE = {
    State.IN_REVIEW: gettext_lazy("“%(title)s” is already in review."),
    ("correction", State.IN_REVIEW): gettext_lazy(
        "Your correction of “%(title)s” is already in review."
    ),
    State.PUBLISHED: gettext_lazy("“%(title)s” is already published."),
    State.REJECTED: gettext_lazy("“%(title)s” has already been rejected."),
}


def in_words(sentences: dict, current, otherwise) -> str:
    """The sentence for the contribution's state, else a sentence that names no state."""
    key = ("correction", current.state) if current.correcting else current.state
    return sentences.get(key, otherwise)


def _own_contribution(request, page_id) -> CaseStudyPage:
    page = CaseStudyPage.objects.filter(pk=page_id, contributor=request.user).first()
    if page is None:
        raise Http404("No such contribution.")
    return page


@verified_email_required
def new(request):
    return _contribution_form(request, None)


@verified_email_required
def edit(request, page_id):
    page = _own_contribution(request, page_id)
    current = submission(page)
    if not current.editable:
        messages.info(
            request,
            in_words(NOT_EDITABLE, current, _("“%(title)s” cannot be edited now."))
            % {"title": page.draft_title},
        )
        return redirect("contribute:mine")
    return _contribution_form(request, page, current)


@verified_email_required
def correct(request, page_id):
    """A correction to a published contribution: the form opens with the published text
    and saves a draft revision, which leaves the live page as it is until a moderator
    approves it."""
    page = _own_contribution(request, page_id)
    current = submission(page)
    if current.editable and current.correction:
        return redirect("contribute:edit", page_id=page.pk)
    if not current.correctable:
        messages.info(
            request,
            in_words(
                NOT_CORRECTABLE, current, _("No correction of “%(title)s” can be proposed now.")
            )
            % {"title": page.draft_title},
        )
        return redirect("contribute:mine")
    return _contribution_form(request, page, current, base=correction_base(page))


@require_POST
@verified_email_required
def discard(request, page_id):
    page = _own_contribution(request, page_id)
    try:
        discard_correction(page, request.user)
    except ValueError:
        messages.info(
            request, _("There is no correction of “%(title)s” to discard.") % {"title": page.title}
        )
    else:
        messages.success(
            request,
            _("Your correction of “%(title)s” is discarded; the published page is unchanged.")
            % {"title": page.title},
        )
    return redirect("contribute:mine")


def _initial(request, page, base=None) -> dict:
    draft = base or (page.get_latest_revision_as_object() if page else None)
    if draft:
        return ContributionForm.initial_from_page(draft, request.user)
    # A new contribution's form gets its one-time key when it is shown.
    return {**ContributionForm.initial_from_profile(request.user), "form_key": uuid.uuid4()}


def _contribution_form(request, page, current=None, base=None):
    initial = _initial(request, page, base)
    limit = None
    kept = None
    kept_too_long = False
    if request.method != "POST" and request.GET.get("discard"):
        forget(request.user, page)
        return redirect(request.path)
    if request.method == "POST":
        action = request.POST.get("action")
        action = action if action in ACTIONS else "save"
        form = ContributionForm(
            request.POST,
            request.FILES,
            user=request.user,
            initial=initial,
            sending=action == "submit",
        )
        if form.is_valid():
            draft = base or (page.get_latest_revision_as_object() if page else None)
            key = form.cleaned_data["form_key"] if page is None else None
            try:
                saved = save_draft(form, request.user, draft, form_key=key)
            except AlreadyStarted as started:
                return _saved_before(request, form, started.page, action)
            except LimitReached as exc:
                limit = resets_text(exc)
                if page is None:
                    kept_too_long = not keep(form, request.user, None, KeptReason.LIMIT)
            else:
                forget(request.user, page)
                return _after_save(request, saved, action)
    elif kept := kept_for(request.user, page):
        # Bound to what was kept, as a draft: shown as typed, checked only as a draft is.
        data = as_form_data(kept, lambda image: image_token(image, request.user))
        if page is None and not data.get("form_key"):
            data["form_key"] = str(initial["form_key"])
        form = ContributionForm(data, user=request.user, initial=initial)
        form.is_valid()
        if kept.reason == KeptReason.LANGUAGE:
            # Switching language is not saving: what was typed comes back as it was, and
            # is checked when the member saves it (an empty title is no mistake yet).
            form.errors.clear()
    else:
        form = ContributionForm(user=request.user, initial=initial)
    return _render_form(
        request, form, page, current, limit=limit, kept=kept, kept_too_long=kept_too_long
    )


def _render_form(request, form, page, current=None, **extra):
    switch = reverse("contribute:language", kwargs={"page_id": page.pk} if page else {})
    context = {
        "form": form,
        "page": None,
        "contribution": page,
        "submission": current,
        "correction": page is not None and page.live,
        # The header's language buttons post this form (templates/components/
        # language_switcher.html), so switching keeps what was typed.
        "language_form": "contribution-form",
        "language_action": f"{switch}?{urlencode({'next': request.get_full_path()})}",
        **extra,
    }
    return render(request, "cases/contribute/form.html", context)


def _saved_before(request, form, page, action):
    """The new-contribution form posted again with a key that has already started a
    contribution (Back then Enter, a double click): what it holds goes to the draft it made
    (if that can still be edited), never into another one, and the member is told."""
    if page is None:
        messages.info(
            request,
            _(
                "This form was saved as a draft before, and you have deleted that draft "
                "since. What you typed is below; choose “Save draft” to save it as a new one."
            ),
        )
        form.data = form.data.copy()
        form.data["form_key"] = str(uuid.uuid4())
        return _render_form(request, form, None)
    current = submission(page)
    if not current.editable:
        messages.info(
            request,
            # Translators: state is a contribution's state in lower case, e.g. "in review".
            _(
                "This form was already saved as “%(title)s”, which is %(state)s now, so "
                "nothing was changed."
            )
            % {"title": page.draft_title, "state": current.label.lower()},
        )
        return redirect("contribute:mine")
    saved = save_draft(form, request.user, page.get_latest_revision_as_object())
    forget(request.user, None)
    messages.info(
        request,
        _(
            "This form was already saved as “%(title)s”, so what you sent went to that "
            "draft rather than a new one."
        )
        % {"title": saved.draft_title},
    )
    return _after_save(request, saved, action)


@require_POST
@verified_email_required
def switch_language(request, page_id=None):
    """The header's language buttons on a contribution form: they submit the form itself
    (the HTML `form` and `formaction` attributes, so no JavaScript is needed) to here, which
    keeps everything typed, sets the language and sends the member back to the same form,
    which shows it all again in the new language.

    What was typed is kept the one way a form that cannot be saved is kept
    (cases/contribute/kept.py), never saved as a draft: switching the language is not
    saving, so it starts no contribution, uses none of the day's allowance, sends nothing
    and needs no title or valid field; the member saves when they choose to, and the row
    survives signing out. Chosen images are stored as the form's own re-display stores them.
    If the text is too long to keep, the form is shown again at once, in the new language,
    with everything typed still in it."""
    page = _own_contribution(request, page_id) if page_id is not None else None
    code = supported(request.POST.get("interface_language"))
    fallback = reverse("contribute:edit", args=[page.pk]) if page else reverse("contribute:new")
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = fallback
    current = submission(page) if page else None
    form = ContributionForm(
        request.POST, request.FILES, user=request.user, initial=_initial(request, page)
    )
    form.is_valid()  # stores chosen images; mistakes are shown when the form is back
    if code:
        translation.activate(code)
        request.LANGUAGE_CODE = code
        remember_language(request.user, code)
    keepable = current is None or current.editable or current.correctable
    if keepable and not keep(form, request.user, page, KeptReason.LANGUAGE):
        response = _render_form(request, form, page, current, kept_too_long=True)
    else:
        response = redirect(back)
    if code:
        set_language_cookie(response, code)
    return response


def _after_save(request, page, action):
    if action == "preview":
        return redirect("contribute:preview", page_id=page.pk)
    if action == "submit":
        try:
            submit(page, request.user)
        except LimitReached as exc:
            messages.warning(request, resets_text(exc))
            return redirect("contribute:edit", page_id=page.pk)
        if page.live:
            messages.success(
                request,
                _(
                    "Your correction of “%(title)s” is with the moderators. The published "
                    "page stays as it is until they approve it; you will get an email."
                )
                % {"title": page.title},
            )
        else:
            messages.success(
                request,
                _(
                    "“%(title)s” is with the moderators. You will get an email when they "
                    "have read it."
                )
                % {"title": page.draft_title},
            )
        return redirect("contribute:mine")
    if page.live:
        messages.success(
            request,
            _(
                "Your correction of “%(title)s” is saved as a draft. Only you can see it; "
                "the published page is unchanged."
            )
            % {"title": page.title},
        )
        return redirect("contribute:edit", page_id=page.pk)
    messages.success(
        request,
        _("Draft of “%(title)s” saved. Only you can see it.") % {"title": page.draft_title},
    )
    return redirect("contribute:edit", page_id=page.pk)


@verified_email_required
def mine(request):
    return render(
        request,
        "cases/contribute/mine.html",
        {"submissions": submissions_of(request.user), "page": None},
    )


@verified_email_required
def preview(request, page_id):
    page = _own_contribution(request, page_id)
    draft = page.get_latest_revision_as_object()
    request.is_preview = True
    request.preview_mode = draft.default_preview_mode
    response = draft.serve_preview(request, draft.default_preview_mode)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
@verified_email_required
def send_for_review(request, page_id):
    page = _own_contribution(request, page_id)
    current = submission(page)
    if current.state not in State.EDITABLE:
        messages.info(
            request,
            in_words(NOT_SENDABLE, current, _("“%(title)s” cannot be sent for review now."))
            % {"title": page.draft_title},
        )
        return redirect("contribute:mine")
    try:
        submit(page, request.user)
    except LimitReached as exc:
        messages.warning(request, resets_text(exc))
    else:
        messages.success(
            request, _("“%(title)s” is with the moderators.") % {"title": page.draft_title}
        )
    return redirect("contribute:mine")


@require_POST
@verified_email_required
def withdraw(request, page_id):
    page = _own_contribution(request, page_id)
    try:
        withdraw_from_review(page, request.user)
    except ValueError:
        messages.info(
            request,
            _("“%(title)s” is no longer waiting for a moderator, so it cannot be withdrawn.")
            % {"title": page.draft_title},
        )
    else:
        messages.success(
            request,
            _(
                "“%(title)s” is withdrawn and back to a draft. Moderators are no longer "
                "asked to review it."
            )
            % {"title": page.draft_title},
        )
    return redirect("contribute:mine")


@require_http_methods(["GET", "POST"])
@verified_email_required
def delete(request, page_id):
    """GET asks for confirmation on a page of its own (it works without JavaScript);
    only the POST from that page deletes."""
    page = _own_contribution(request, page_id)
    if submission(page).state != State.DRAFT:
        messages.info(request, _("Only drafts that are not with the moderators can be deleted."))
        return redirect("contribute:mine")
    if request.method == "GET":
        return render(
            request, "cases/contribute/delete.html", {"contribution": page, "page": None}
        )
    title = page.draft_title
    delete_draft(page)
    messages.success(request, _("Draft “%(title)s” deleted.") % {"title": title})
    return redirect("contribute:mine")
