"""{% case_discussion page %}: the questions and answers on a case page, with the forms to
ask, answer, report, and contact the contributor. {% practitioner_badge user %}: the
verified practitioner badge. Loaded by the templates (cases never imports this app)."""

from django import template
from django.db.models import Q

from commonground.discussion import rules
from commonground.discussion.forms import AnswerForm, QuestionForm
from commonground.discussion.models import Post

register = template.Library()


@register.inclusion_tag("discussion/case_discussion.html", takes_context=True)
def case_discussion(context, page):
    """A fixed number of queries however many posts: the posts with their authors'
    profiles, then the badges (two)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    if not page.live or getattr(request, "is_preview", False):
        return {"shown": False}  # a contributor's preview: nothing to discuss yet
    shown = Q(status=Post.Status.PUBLISHED, reported=False)
    if signed_in:
        shown |= Q(author=user, status=Post.Status.PENDING)
    posts = list(
        Post.objects.filter(shown, case=page)
        .select_related("author__profile")
        .order_by("created_at", "pk")
    )
    badges = rules.verified_practitioners({post.author_id for post in posts})
    questions, answers = [], {}
    for post in posts:
        post.badge = post.author_id in badges
        post.mine = signed_in and post.author_id == user.pk
        post.editable = post.mine and rules.may_edit(user, post)
        if post.question_id is None:
            questions.append(post)
        else:
            answers.setdefault(post.question_id, []).append(post)
    for question in questions:
        question.shown_answers = answers.get(question.pk, [])
        question.answer_form = AnswerForm(auto_id=f"id_answer_{question.pk}_%s")
    return {
        "shown": True,
        "page": page,
        "request": request,
        "user": user,
        "signed_in": signed_in,
        "questions": questions,
        "question_form": QuestionForm(auto_id="id_question_%s"),
        "contactable": bool(page.contributed and page.contributor_id)
        and not (signed_in and page.contributor_id == user.pk),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("discussion/badge.html")
def practitioner_badge(user_id):
    return {"badge": bool(user_id) and bool(rules.verified_practitioners([user_id]))}
