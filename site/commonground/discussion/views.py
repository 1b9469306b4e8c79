"""Asking, answering, editing, deleting and reporting posts; writing to a case's
contributor and their reply through a signed link; stopping a thread's notices."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases.models import CaseStudyPage
from commonground import tokens
from commonground.discussion import notices, rules
from commonground.discussion.forms import (
    AnswerForm,
    BodyForm,
    MessageForm,
    QuestionForm,
    ReportForm,
)
from commonground.discussion.models import ContactMessage, Post, StoppedNotice

FORM_PAGE = "discussion/form_page.html"


def _case(pk) -> CaseStudyPage:
    return get_object_or_404(CaseStudyPage.objects.live().public(), pk=pk)


def _to_case(case, anchor="discussion") -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{case.url}#{anchor}")


def _visible_post(pk) -> Post:
    """A post others can see (published, not hidden by reports), on a live case."""
    return get_object_or_404(
        Post.objects.select_related("case", "author__profile"),
        pk=pk,
        status=Post.Status.PUBLISHED,
        reported=False,
        case__live=True,
    )


def _posted(request, post) -> HttpResponseRedirect:
    if post.status == Post.Status.PUBLISHED:
        messages.success(request, _("Thank you: your post is published."))
        return _to_case(post.case, post.anchor)
    messages.info(
        request,
        _(
            "Thank you: your first post will appear once a moderator has approved it. "
            "After that, your posts appear at once."
        ),
    )
    return _to_case(post.case)


def _form_page(request, form, case, heading, *, post=None, status=200, **extra):
    context = {"form": form, "case": case, "heading": heading, "post": post, **extra}
    return render(request, FORM_PAGE, context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ask(request, case_id):
    case = _case(case_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            return _posted(request, rules.add_post(request.user, case, form.cleaned_data["body"]))
        except rules.Refused as exc:
            form.add_error(None, str(exc))
    return _form_page(request, form, case, _("Ask a question about this case"))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk):
    question = _visible_post(pk)
    if not question.is_question:
        return _to_case(question.case, question.anchor)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = rules.add_post(
                request.user, question.case, form.cleaned_data["body"], question=question
            )
            return _posted(request, post)
        except rules.Refused as exc:
            form.add_error(None, str(exc))
    return _form_page(request, form, question.case, _("Answer this question"), post=question)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    post = get_object_or_404(
        Post.objects.select_related("case"), pk=pk, author=request.user, case__live=True
    )
    if not rules.may_edit(request.user, post):
        messages.error(
            request,
            _("Posts can be changed only in the first %(minutes)s minutes.")
            % {"minutes": int(rules.edit_window().total_seconds() // 60)},
        )
        return _to_case(post.case, post.anchor)
    form = BodyForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        post.body = form.cleaned_data["body"]
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "edited_at"])
        messages.success(request, _("Your post has been changed."))
        return _to_case(post.case, post.anchor)
    return _form_page(request, form, post.case, _("Change your post"), post=post)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    post = get_object_or_404(
        Post.objects.select_related("case"), pk=pk, author=request.user, case__live=True
    )
    if request.method == "POST":
        case = post.case
        post.delete()  # a question's answers go with it
        messages.success(request, _("Your post has been deleted."))
        return _to_case(case)
    return render(request, "discussion/delete.html", {"post": post, "case": post.case})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    post = _visible_post(pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rules.report(
            request.user, post, form.cleaned_data["reason"], form.cleaned_data["details"]
        ):
            messages.success(request, _("Thank you: a moderator will look at this post."))
        else:
            messages.info(request, _("You have already reported this post."))
        return _to_case(post.case, post.anchor)
    return _form_page(request, form, post.case, _("Report this post"), post=post)


# Contacting the contributor ---------------------------------------------------------------


def contacts_per_day() -> int:
    return getattr(settings, "DISCUSSION_CONTACTS_PER_DAY", 5)


REPLIES_PER_MESSAGE = 5


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def contact(request, case_id):
    case = _case(case_id)
    if not (case.contributed and case.contributor_id and case.contributor.is_active):
        messages.error(request, _("This case's contributor cannot be contacted through the site."))
        return _to_case(case, "case-tools-heading")
    form = MessageForm(request.POST or None)
    if case.contributor_id == request.user.pk:
        form = None
    elif request.method == "POST" and form.is_valid():
        with transaction.atomic():
            sent = ContactMessage.objects.filter(
                sender=request.user, created_at__gte=timezone.now() - timedelta(days=1)
            ).count()
            if sent >= contacts_per_day():
                form.add_error(
                    None,
                    _(
                        "You have sent %(count)s messages today, the most allowed. "
                        "Please try again tomorrow."
                    )
                    % {"count": contacts_per_day()},
                )
            else:
                message = ContactMessage.objects.create(
                    case=case,
                    sender=request.user,
                    recipient=case.contributor,
                    body=form.cleaned_data["body"],
                )
                transaction.on_commit(lambda: notices.contact_message(message))
                messages.success(
                    request,
                    _("Your message has been sent. The contributor can reply through the site."),
                )
                return _to_case(case, "case-tools-heading")
    return _form_page(
        request,
        form,
        case,
        _("Contact the contributor"),
        contributor=notices.display_name(case.contributor),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def reply(request, token):
    """The contributor's reply to a message, through the link in its e-mail: no sign-in
    needed (the signed token is the proof), e-mailed to the member who wrote."""
    try:
        data = tokens.read(notices.CONTACT_REPLY, token)
    except tokens.BadToken as exc:
        return tokens.bad_token_page(request, exc)
    message = get_object_or_404(
        ContactMessage.objects.select_related("case", "sender__profile", "recipient__profile"),
        pk=data["m"],
    )
    form = MessageForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            updated = ContactMessage.objects.filter(
                pk=message.pk, replies__lt=REPLIES_PER_MESSAGE
            ).update(replies=message.replies + 1)
            if updated:
                body = form.cleaned_data["body"]
                transaction.on_commit(lambda: notices.contact_reply(message, body))
                done = True
            else:
                form.add_error(None, _("This message has been replied to as often as allowed."))
    return render(
        request,
        "discussion/reply.html",
        {
            "form": form,
            "message": message,
            "done": done,
            "sender": notices.display_name(message.sender),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def stop(request, token):
    """Stop the notices of one thread from a notice's link (asks first; its form carries a
    CSRF token)."""
    try:
        data = tokens.read(notices.STOP_THREAD, token)
    except tokens.BadToken as exc:
        return tokens.bad_token_page(request, exc)
    if request.method == "POST":
        StoppedNotice.objects.get_or_create(user_id=data["u"], thread=data["t"])
    return render(
        request,
        "discussion/stop.html",
        {"done": request.method == "POST", "answers": data["t"].startswith("question:")},
    )
