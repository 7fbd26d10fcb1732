"""The life of an attempt: started with questions drawn at random, answers saved as the learner goes, finished by
the learner or by its deadline, scored by the server, and the learner's quiz grade passed on to courses' progress.

The deadline is the server's: an answer that arrives after it is not stored, and the first request that finds an
attempt past its deadline finishes it with the answers saved before.
"""

import json
import random
from collections import namedtuple
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.generations import current_tokens
from courses.learner_cache import TOKEN_SECONDS
from courses.progress import record_assessed_result

from .models import Attempt, AttemptSlot, Question, QuestionOption, QuestionType, Quiz
from .page_cache import BANK_TOKEN, answers_changed
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


def save_responses(attempt, responses, now=None) -> bool:
    """Store the learner's responses if the attempt is open and in time.

    ``responses``: ``{slot position: response}``, or a function of the attempt's slots (each with its position and
    its question's type) that returns it: a form is read against them.
    Returns False, storing nothing, when the attempt is finished or past its deadline (which finishes it).
    """
    return _save(attempt.pk, None, responses, now)


def save_own_responses(attempt_id, user, responses, now=None) -> bool | None:
    """``save_responses`` for ``user``'s attempt ``attempt_id``; None when they have no such attempt (another
    learner's is never touched)."""
    return _save(attempt_id, user, responses, now)


def _save(attempt_id, user, responses, now):
    now = now or timezone.now()
    owner = {} if user is None else {"user": user}
    store = _store_at_once if connection.vendor == "postgresql" else _store_under_lock
    opened, changed = store(attempt_id, owner, responses, now)
    if changed:
        answers_changed(attempt_id)
    if opened:
        return True
    attempt = Attempt.objects.filter(pk=attempt_id, **owner).first()
    if attempt is None:
        return None
    close_if_overdue(attempt, now)
    return False


# What a form is read against: a slot's position and its question's type (``presentation.responses_from_post``).
FormSlot = namedtuple("FormSlot", "position question_type")


def _form_shape_key(attempt_id):
    return f"assessments:form-shape:{attempt_id}"


def _form_slots(attempt_id, owner):
    """``{position: FormSlot}`` of the attempt (``owner``'s, when given; empty when it is not theirs), kept per
    attempt with its learner's id: positions and questions are fixed when the attempt is drawn, and a question's
    type is the question bank's (the copy names the bank's token, replaced when a question is saved)."""
    key = _form_shape_key(attempt_id)
    found = cache.get_many([key, BANK_TOKEN])
    bank = current_tokens([BANK_TOKEN], TOKEN_SECONDS, found=found)[BANK_TOKEN]
    kept = found.get(key)
    if kept is not None and kept[0] == bank:
        _bank, user_id, shape = kept
    else:
        rows = list(
            AttemptSlot.objects.filter(attempt_id=attempt_id).values_list(
                "attempt__user_id", "position", "question__question_type"
            )
        )
        if not rows:
            return {}
        user_id, shape = rows[0][0], [(position, kind) for _user, position, kind in rows]
        cache.set(key, (bank, user_id, shape), TOKEN_SECONDS)
    if owner and owner["user"].pk != user_id:
        return {}
    return {position: FormSlot(position, kind) for position, kind in shape}


def _answers(slots, responses):
    """``{position: response}`` of the slots ``responses`` (a mapping, or a function of the slots) answers."""
    if callable(responses):
        responses = responses(list(slots.values()))
    return {position: response for position, response in responses.items() if position in slots}


# One statement, its own transaction (no BEGIN, no COMMIT to wait for apart): the attempt locked only if it is open
# and in time, as finishing it locks it (``FOR NO KEY UPDATE`` conflicts with the finish's ``FOR UPDATE``, so a
# finish waits for a save in progress and a save waiting for a finish sees the attempt closed when it gets the row:
# PostgreSQL checks the row's newest version again). The answers are then written where they differ from the rows'
# newest versions (a concurrent save of the same attempt has committed before this one gets the lock).
SAVE_AT_ONCE = """
WITH open_attempt AS MATERIALIZED (
    SELECT id FROM {attempt} WHERE id = %s {owner} AND state = %s AND (deadline IS NULL OR deadline > %s)
    FOR NO KEY UPDATE
), changed AS (
    UPDATE {slot} AS slot SET response = answer.response, saved_at = %s
    FROM open_attempt, (VALUES {values}) AS answer (position, response)
    WHERE slot.attempt_id = open_attempt.id AND slot.position = answer.position
        AND slot.response IS DISTINCT FROM answer.response
    RETURNING slot.id
)
SELECT (SELECT count(*) FROM open_attempt), (SELECT count(*) FROM changed)
"""


def _store_at_once(attempt_id, owner, responses, now):
    """On PostgreSQL: (whether the attempt was open and in time, how many answers changed), the form read against
    the attempt's kept form shape (``_form_slots``), then stored in one round trip."""
    slots = _form_slots(attempt_id, owner)
    answers = _answers(slots, responses)
    if not answers:
        in_time = Q(deadline__isnull=True) | Q(deadline__gt=now)
        still_open = Attempt.objects.filter(in_time, pk=attempt_id, state=Attempt.State.IN_PROGRESS, **owner)
        return bool(slots) and still_open.exists(), 0
    sql = SAVE_AT_ONCE.format(
        attempt=connection.ops.quote_name(Attempt._meta.db_table),
        slot=connection.ops.quote_name(AttemptSlot._meta.db_table),
        values=", ".join(["(%s::smallint, %s::jsonb)"] * len(answers)),
        # The kept form shape already names the learner; the statement checks it again on the row itself.
        owner="AND user_id = %s" if owner else "",
    )
    params = [attempt_id, *([owner["user"].pk] if owner else []), Attempt.State.IN_PROGRESS, now, now]
    for position, response in answers.items():
        params += [position, json.dumps(response)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        opened, changed = cursor.fetchone()
    return bool(opened), changed


def _store_under_lock(attempt_id, owner, responses, now):
    """Elsewhere (SQLite, which serialises writers): the same in a transaction, the attempt locked first."""
    with transaction.atomic():
        locked = Attempt.objects.select_for_update(no_key=True).filter(pk=attempt_id, **owner).first()
        if locked is None or not locked.is_open or locked.is_overdue(now):
            return False, 0
        rows = locked.slots.values_list("pk", "position", "response", "question__question_type")
        current = {position: (pk, response) for pk, position, response, _kind in rows}
        slots = {position: FormSlot(position, kind) for _pk, position, _response, kind in rows}
        changed = [
            AttemptSlot(pk=current[position][0], response=response, saved_at=now)
            for position, response in _answers(slots, responses).items()
            if current[position][1] != response
        ]
        if changed:
            AttemptSlot.objects.bulk_update(changed, ["response", "saved_at"])
    return True, len(changed)


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
