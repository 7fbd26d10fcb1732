"""Trainers' grading: essays graded by a person with the rubric, and attempts regraded after a question changes.

A learner whose quiz grade falls below the pass mark by a regrade is told by e-mail (in both languages, as the
certificate e-mails). A module that was completed stays completed (courses never takes completion back), but the
new grade is recorded and certification re-evaluates the learner, as after any progress.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.access import has_staff_access
from audit.models import Action
from audit.recording import record
from courses.models import CoursePage, ModulePage
from notifications.delivery import notify

from .attempts import CENT, has_passed, pass_result_on, quiz_grade, score_slot, total_attempt
from .models import Attempt, AttemptSlot, QuestionType


def attempts_in_reach(user):
    """The attempts ``user`` may grade and read: every one for staff with two factors, else those taken in the
    modules of the courses they train (in every language). A quiz is shared by the bank, its learners are not."""
    attempts = Attempt.objects.all()
    if has_staff_access(user):
        return attempts
    keys = CoursePage.objects.filter(trainers=user).values_list("translation_key", flat=True)
    within = Q(pk__in=[])
    for path in CoursePage.objects.filter(translation_key__in=keys).values_list("path", flat=True):
        within |= Q(path__startswith=path)
    return attempts.filter(module__in=ModulePage.objects.filter(within).values("pk"))


def essays_to_grade(attempts):
    """Essay answers of finished ``attempts`` that no trainer has graded yet, oldest first."""
    return (
        AttemptSlot.objects.filter(
            attempt__in=attempts,
            question__question_type=QuestionType.ESSAY,
            grader__isnull=True,
            attempt__state=Attempt.State.NEEDS_GRADING,
        )
        .select_related("attempt__quiz", "attempt__user", "question")
        .order_by("attempt__finished_at", "position")
    )


def grade_essay(slot, mark, comment, grader):
    """Give ``slot`` (an essay) ``mark`` out of its maximum with a comment; the attempt is totalled when no essay
    of it is left to grade."""
    mark = Decimal(mark).quantize(CENT, rounding=ROUND_HALF_UP)
    if not 0 <= mark <= slot.max_mark:
        raise ValidationError(_("The mark must be between 0 and %(max)s.") % {"max": slot.max_mark})
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=slot.attempt_id)
        mark_before, percent_before = slot.mark, attempt.percent
        slot.mark, slot.fraction = mark, (mark / slot.max_mark).quantize(Decimal("0.00001"))
        slot.grader, slot.grader_comment = grader, comment
        slot.save(update_fields=["mark", "fraction", "grader", "grader_comment"])
        slots = list(attempt.slots.select_related("question"))
        total_attempt(attempt, slots)
        attempt.save(update_fields=["marks", "state", "percent"])
        record(
            Action.GRADE_CHANGED,
            actor=grader,
            target=attempt,
            target_label=f"{attempt.user.email}: {attempt.quiz.title_en or attempt.quiz.title_zh}",
            changes={"slot": slot.pk, "mark": [mark_before, mark], "percent": [percent_before, attempt.percent]},
            reason=comment,
        )
        if attempt.state == Attempt.State.GRADED:
            pass_result_on(attempt.quiz, attempt.module, attempt.user)
        quiz = attempt.quiz
        notify(
            attempt.user,
            "essay_graded",
            url=reverse("assessments:review", args=[attempt.pk]),
            context={"subject": quiz.title_zh, "subject_en": quiz.title_en},
        )
    return attempt


def regrade_question(question, by=None):
    """Rescore every finished attempt that asked ``question`` and recompute the grades; returns
    ``(attempts regraded, learners who lost a pass)``. Essay marks given by a trainer are kept. Each attempt whose
    percentage changed goes into the audit trail under ``by``, who corrected the question."""
    attempts = (
        Attempt.objects.filter(slots__question=question)
        .exclude(state=Attempt.State.IN_PROGRESS)
        .select_related("quiz", "module", "user")
        .distinct()
    )
    regraded, lost = 0, []
    for attempt in attempts:
        before = quiz_grade(attempt.quiz, attempt.module, attempt.user)
        with transaction.atomic():
            locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
            percent_before = locked.percent
            slots = list(locked.slots.select_related("question").prefetch_related("question__options"))
            for slot in slots:
                score_slot(slot)
            AttemptSlot.objects.bulk_update(slots, ["fraction", "mark"])
            total_attempt(locked, slots)
            locked.save(update_fields=["marks", "state", "percent"])
            if locked.percent != percent_before:
                record(
                    Action.REGRADED,
                    actor=by,
                    target=locked,
                    target_label=f"{attempt.user.email}: {attempt.quiz.title_en or attempt.quiz.title_zh}",
                    changes={"question": question.pk, "percent": [percent_before, locked.percent]},
                )
            after = pass_result_on(attempt.quiz, attempt.module, attempt.user) if locked.state == "graded" else None
        regraded += 1
        if has_passed(attempt.quiz, before) and not has_passed(attempt.quiz, after):
            if attempt.user not in lost:
                lost.append(attempt.user)
                tell_learner_of_lost_pass(attempt.user, attempt.quiz, before, after)
    return regraded, lost


def tell_learner_of_lost_pass(user, quiz, before, after):
    context = {"quiz": quiz, "before": before, "after": after, "site": settings.WAGTAILADMIN_BASE_URL.rstrip("/")}
    subjects, bodies = [], []
    for language in ("zh-hant", "en"):
        with translation.override(language):
            subjects.append(_("Your quiz was regraded: %(quiz)s") % {"quiz": quiz.title})
            bodies.append(render_to_string("assessments/email/lost_pass.txt", context).strip())
    transaction.on_commit(lambda: send_mail(" / ".join(subjects), "\n\n----\n\n".join(bodies), None, [user.email]))
