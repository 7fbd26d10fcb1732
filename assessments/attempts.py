"""The life of an attempt: started with questions drawn at random, answers saved as the learner goes, finished by
the learner or by its deadline, scored by the server, and the learner's quiz grade passed on to courses' progress.

The deadline is the server's: an answer that arrives after it is not stored, and the first request that finds an
attempt past its deadline finishes it with the answers saved before.
"""

import random
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.progress import record_assessed_result

from .models import Attempt, AttemptSlot, Question, QuestionOption, QuestionType, Quiz
from .questions import layout_for
from .scoring import score_response

CENT = Decimal("0.01")


class AttemptRefused(Exception):
    """Why a learner may not start an attempt now; the message is shown to them."""


def finished_attempts(quiz, module, user):
    return Attempt.objects.filter(quiz=quiz, module=module, user=user).exclude(state=Attempt.State.IN_PROGRESS)


def refusal(quiz, module, user, now=None) -> str:
    """Why ``user`` may not start a new attempt at ``quiz`` now, or an empty string."""
    now = now or timezone.now()
    if quiz.opens_at and now < quiz.opens_at:
        return _("This quiz opens on %(date)s.") % {
            "date": timezone.localtime(quiz.opens_at).strftime("%Y-%m-%d %H:%M")
        }
    if quiz.closes_at and now >= quiz.closes_at:
        return _("This quiz is closed.")
    done = list(finished_attempts(quiz, module, user).order_by("-finished_at").values_list("finished_at", flat=True))
    if quiz.max_attempts and len(done) >= quiz.max_attempts:
        return _("You have used all your attempts.")
    if done and quiz.wait_minutes:
        next_start = done[0] + timedelta(minutes=quiz.wait_minutes)
        if now < next_start:
            return _("You may start another attempt at %(time)s.") % {
                "time": timezone.localtime(next_start).strftime("%Y-%m-%d %H:%M")
            }
    return ""


def draw_questions(quiz, rng=None):
    """The questions of a new attempt: N at random from each draw's category, never the same question twice."""
    rng = rng or random.SystemRandom()
    chosen = []
    for draw in quiz.draws.select_related("category"):
        category_ids = draw.category.descendant_ids() if draw.include_subcategories else [draw.category_id]
        candidates = list(
            Question.objects.filter(category_id__in=category_ids, is_archived=False)
            .exclude(pk__in=chosen)
            .values_list("pk", flat=True)
        )
        chosen.extend(rng.sample(candidates, min(draw.count, len(candidates))))
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def open_attempt(quiz, module, user):
    return Attempt.objects.filter(quiz=quiz, module=module, user=user, state=Attempt.State.IN_PROGRESS).first()


def start_attempt(quiz, module, user, now=None, rng=None) -> Attempt:
    """The learner's attempt in progress, or a new one; raises ``AttemptRefused`` when none may start."""
    now = now or timezone.now()
    current = open_attempt(quiz, module, user)
    if current is not None:
        if not close_if_overdue(current, now):
            return current
    reason = refusal(quiz, module, user, now)
    if reason:
        raise AttemptRefused(reason)
    question_ids = draw_questions(quiz, rng)
    if not question_ids:
        raise AttemptRefused(_("This quiz has no questions yet."))
    questions = Question.objects.in_bulk(question_ids)
    options = {}
    for option in QuestionOption.objects.filter(question_id__in=question_ids):
        options.setdefault(option.question_id, []).append(option)
    deadline = None
    if quiz.time_limit_minutes:
        deadline = now + timedelta(minutes=quiz.time_limit_minutes)
    if quiz.closes_at:
        deadline = min(deadline, quiz.closes_at) if deadline else quiz.closes_at
    try:
        with transaction.atomic():
            number = (
                Attempt.objects.filter(quiz=quiz, module=module, user=user).aggregate(n=Max("number"))["n"] or 0
            ) + 1
            attempt = Attempt.objects.create(
                quiz=quiz, module=module, user=user, number=number, started_at=now, deadline=deadline
            )
            slots = [
                AttemptSlot(
                    attempt=attempt,
                    position=position,
                    question_id=pk,
                    max_mark=questions[pk].default_mark,
                    layout=layout_for(questions[pk], options.get(pk, []), rng),
                )
                for position, pk in enumerate(question_ids)
            ]
            AttemptSlot.objects.bulk_create(slots)
            attempt.max_marks = sum(slot.max_mark for slot in slots)
            attempt.save(update_fields=["max_marks"])
    except IntegrityError:
        # Another request (a second tab, a double click) started one at the same moment: continue that one.
        return Attempt.objects.get(quiz=quiz, module=module, user=user, state=Attempt.State.IN_PROGRESS)
    return attempt


def close_if_overdue(attempt, now=None) -> bool:
    """Finish ``attempt`` if its deadline has passed; whether it is now finished."""
    if attempt.is_open and attempt.is_overdue(now):
        finish_attempt(attempt, now=now, by_deadline=True)
        return True
    return not attempt.is_open


def save_responses(attempt, responses: dict[int, dict], now=None) -> bool:
    """Store the learner's responses (``{slot position: response}``) if the attempt is open and in time.

    Returns False, storing nothing, when the attempt is finished or past its deadline (which finishes it).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.is_open or locked.is_overdue(now):
            refused = True
        else:
            refused = False
            slots = {slot.position: slot for slot in locked.slots.filter(position__in=list(responses))}
            changed = []
            for position, response in responses.items():
                slot = slots.get(position)
                if slot is not None and slot.response != response:
                    slot.response, slot.saved_at = response, now
                    changed.append(slot)
            AttemptSlot.objects.bulk_update(changed, ["response", "saved_at"])
    if refused:
        close_if_overdue(locked, now)
        return False
    return True


def _slots_with_questions(attempt):
    return attempt.slots.select_related("question").prefetch_related(
        Prefetch("question__options", queryset=QuestionOption.objects.order_by("sort_order"))
    )


def score_slot(slot):
    fraction = score_response(slot.question, list(slot.question.options.all()), slot.layout, slot.response)
    if fraction is None:
        return
    slot.fraction = fraction
    slot.mark = (slot.max_mark * fraction).quantize(CENT, rounding=ROUND_HALF_UP)


def total_attempt(attempt, slots):
    """Set the attempt's marks and state from its slots; an essay not yet graded leaves it waiting."""
    waiting = any(slot.question.question_type == QuestionType.ESSAY and slot.grader_id is None for slot in slots)
    attempt.marks = sum((slot.mark or Decimal(0) for slot in slots), Decimal(0))
    attempt.state = Attempt.State.NEEDS_GRADING if waiting else Attempt.State.GRADED
    attempt.percent = (
        (attempt.marks * 100 / attempt.max_marks).quantize(CENT, rounding=ROUND_HALF_UP) if attempt.max_marks else None
    )
    if waiting:
        attempt.percent = None


def finish_attempt(attempt, now=None, by_deadline=False) -> Attempt:
    """Score and close ``attempt``; a second call (a double submit) changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.is_open:
            return locked
        slots = list(_slots_with_questions(locked))
        for slot in slots:
            score_slot(slot)
        AttemptSlot.objects.bulk_update(slots, ["fraction", "mark"])
        total_attempt(locked, slots)
        locked.finished_at = min(now, locked.deadline) if by_deadline and locked.deadline else now
        locked.closed_by_deadline = by_deadline
        locked.save(update_fields=["marks", "state", "percent", "finished_at", "closed_by_deadline"])
        if locked.state == Attempt.State.GRADED:
            pass_result_on(locked.quiz, locked.module, locked.user)
    return locked


def quiz_grade(quiz, module, user) -> Decimal | None:
    """The learner's grade (%) for ``quiz`` by its grading method, over their graded attempts."""
    percents = list(
        Attempt.objects.filter(quiz=quiz, module=module, user=user, state=Attempt.State.GRADED)
        .order_by("number")
        .values_list("percent", flat=True)
    )
    percents = [p for p in percents if p is not None]
    if not percents:
        return None
    method = quiz.grading_method
    if method == Quiz.GradingMethod.FIRST:
        return percents[0]
    if method == Quiz.GradingMethod.LAST:
        return percents[-1]
    if method == Quiz.GradingMethod.AVERAGE:
        return (sum(percents) / len(percents)).quantize(CENT, rounding=ROUND_HALF_UP)
    return max(percents)


def has_passed(quiz, grade):
    return grade is not None and grade >= quiz.pass_mark


def pass_result_on(quiz, module, user):
    """Give courses' progress the learner's grade and whether it passes; a passed quiz completes the module."""
    grade = quiz_grade(quiz, module, user)
    if grade is not None:
        record_assessed_result(user, module, grade, has_passed(quiz, grade))
    return grade
