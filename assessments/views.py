"""The learner's side of a quiz: start, answer (saved as they go), finish, review.

Every page works with a plain form post; ``attempt.js`` only saves answers as they change (the same form, to the
``save`` view) and counts down the time left. Only the attempt's owner reaches it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.learner_pages import serve_learner_page
from courses.models import ModulePage
from courses.models.pages import canonical

from .attempts import (
    AttemptRefused,
    close_if_overdue,
    finish_attempt,
    quiz_grade,
    save_own_responses,
    save_responses,
    start_attempt,
)
from .models import Attempt, Quiz
from .page_cache import attempt_page_key
from .presentation import is_answered, question_fragments, responses_from_post, review_view


def _quiz_in_module(module, quiz_id):
    """The quiz, if the module's body shows it (a learner cannot start a quiz of another module from this one)."""
    if not any(block.get("quiz") == quiz_id for block in module.blocks_of_type("quiz")):
        raise Http404
    return get_object_or_404(Quiz, pk=quiz_id)


def _own_attempt(request, attempt_id):
    attempt = get_object_or_404(Attempt.objects.select_related("quiz", "module"), pk=attempt_id)
    if attempt.user_id != request.user.pk:
        raise Http404
    return attempt


def _slots(attempt):
    return list(attempt.slots.select_related("question").prefetch_related("question__options"))


@login_required
@require_POST
def start(request, module_id, quiz_id):
    module = get_object_or_404(ModulePage.objects.live(), pk=module_id)
    if not module.is_visible_to(request.user):
        raise Http404
    quiz = _quiz_in_module(canonical(module), quiz_id)
    try:
        attempt = start_attempt(quiz, canonical(module), request.user)
    except AttemptRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(module.url)
    return redirect("assessments:attempt", attempt_id=attempt.pk)


@login_required
def attempt_page(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if close_if_overdue(attempt):
        return redirect("assessments:review", attempt_id=attempt.pk)
    if request.method == "POST":
        saved = save_responses(attempt, lambda slots: responses_from_post(slots, request.POST))
        if not saved:
            messages.error(request, _("The time was up: answers sent after the deadline do not count."))
            return redirect("assessments:review", attempt_id=attempt.pk)
        if "finish" in request.POST:
            finish_attempt(attempt)
            return redirect("assessments:review", attempt_id=attempt.pk)
        messages.success(request, _("Your answers are saved."))
        return redirect("assessments:attempt", attempt_id=attempt.pk)

    def render_page():
        slots = list(attempt.slots.select_related("question"))
        questions = question_fragments(slots)
        return render(
            request,
            "assessments/attempt.html",
            {
                "attempt": attempt,
                "quiz": attempt.quiz,
                "questions": questions,
                "answered": sum(1 for slot in slots if is_answered(slot)),
                "seconds_left": int((attempt.deadline - timezone.now()).total_seconds()) if attempt.deadline else None,
            },
        )

    return serve_learner_page(request, attempt_page_key(request, attempt), render_page)


@login_required
@require_POST
def save(request, attempt_id):
    """Save the attempt form as the learner goes; the reply says only whether it was stored, and when.

    Saved on every change while the learner answers: the learner's attempt is found and locked in one query, and
    the form read against its slots as read under the lock (``save_own_responses``).
    """
    saved = save_own_responses(attempt_id, request.user, lambda slots: responses_from_post(slots, request.POST))
    if saved is None:
        raise Http404
    reply = {"saved": saved, "at": timezone.now().isoformat(timespec="seconds")}
    if not saved:
        reply["review_url"] = reverse("assessments:review", kwargs={"attempt_id": attempt_id})
    return JsonResponse(reply, status=200 if saved else 409)


@login_required
def review(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if close_if_overdue(attempt) is False:
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    quiz = attempt.quiz
    show_review = quiz.shows_review()
    questions = []
    if show_review:
        questions = [review_view(slot) for slot in _slots(attempt)]
    grade = quiz_grade(quiz, attempt.module, request.user)
    return render(
        request,
        "assessments/review.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "questions": questions,
            "show_review": show_review,
            "grade": grade,
            "passed": grade is not None and grade >= quiz.pass_mark,
            "module": attempt.module.localized,
        },
    )
