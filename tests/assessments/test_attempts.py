"""The attempt lifecycle: drawing, time limit, resume, attempt limits and waits, grading methods, completion."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.attempts import (
    AttemptRefused,
    draw_questions,
    finish_attempt,
    quiz_grade,
    save_responses,
    start_attempt,
)
from assessments.models import Attempt, Quiz
from courses.models import ModuleProgress
from tests.assessments.answers import right_responses
from tests.assessments.factories import CategoryFactory, make_quiz, true_false

pytestmark = pytest.mark.django_db


def wrong_responses(attempt):
    return {slot.position: {"answer": "no"} for slot in attempt.slots.all()}


def take(quiz, module, user, right=True, now=None):
    attempt = start_attempt(quiz, module, user, now=now)
    save_responses(attempt, right_responses(attempt) if right else wrong_responses(attempt), now=now)
    return finish_attempt(attempt, now=now)


def test_draws_n_distinct_questions_from_the_category_and_its_children(bank):
    child = CategoryFactory(parent=bank)
    extra = true_false(child)
    quiz = make_quiz(bank, 11)
    drawn = draw_questions(quiz, random.Random(1))
    assert len(drawn) == len(set(drawn)) == 11
    assert extra.pk in drawn
    quiz.draws.update(include_subcategories=False)
    assert extra.pk not in draw_questions(quiz)


def test_archived_questions_are_not_drawn(bank):
    quiz = make_quiz(bank, 10)
    bank.questions.filter(question_type="true_false").update(is_archived=True)
    assert len(draw_questions(quiz)) == 5


def test_attempts_draw_different_questions(quiz, quiz_module, learner):
    drawn = set()
    for _ in range(6):
        attempt = take(quiz, quiz_module, learner)
        drawn.add(tuple(attempt.slots.values_list("question_id", flat=True)))
    assert len(drawn) > 1


def test_resume_returns_the_same_attempt_with_its_answers(quiz, quiz_module, learner):
    attempt = start_attempt(quiz, quiz_module, learner)
    assert save_responses(attempt, {0: {"answer": "true"}})
    again = start_attempt(quiz, quiz_module, learner)
    assert again.pk == attempt.pk
    assert again.slots.get(position=0).response == {"answer": "true"}
    assert Attempt.objects.filter(user=learner).count() == 1


def test_full_marks_pass_and_complete_the_module(quiz, quiz_module, learner):
    attempt = take(quiz, quiz_module, learner)
    assert attempt.state == Attempt.State.GRADED
    assert attempt.percent == 100
    progress = ModuleProgress.objects.get(user=learner, module=quiz_module)
    assert progress.is_completed
    assert progress.best_score == 100


def test_a_failed_quiz_does_not_complete_the_module(quiz, quiz_module, learner):
    attempt = take(quiz, quiz_module, learner, right=False)
    assert attempt.percent == 0
    progress = ModuleProgress.objects.get(user=learner, module=quiz_module)
    assert not progress.is_completed


def test_answers_after_the_deadline_do_not_count_and_the_attempt_closes_itself(quiz, quiz_module, learner):
    quiz.time_limit_minutes = 10
    quiz.save()
    start = timezone.now()
    attempt = start_attempt(quiz, quiz_module, learner, now=start)
    assert attempt.deadline == start + timedelta(minutes=10)
    responses = right_responses(attempt)
    assert save_responses(attempt, {0: responses[0]}, now=start + timedelta(minutes=9))
    assert not save_responses(attempt, responses, now=start + timedelta(minutes=10, seconds=1))
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED
    assert attempt.closed_by_deadline
    assert attempt.finished_at == attempt.deadline
    assert attempt.percent == 25  # only the answer saved in time counts
    # A later submit changes nothing.
    assert finish_attempt(attempt).percent == 25


def test_an_overdue_attempt_is_finished_when_the_learner_comes_back(quiz, quiz_module, learner):
    quiz.time_limit_minutes = 5
    quiz.save()
    start = timezone.now() - timedelta(hours=1)
    attempt = start_attempt(quiz, quiz_module, learner, now=start)
    fresh = start_attempt(quiz, quiz_module, learner)
    assert fresh.pk != attempt.pk
    attempt.refresh_from_db()
    assert attempt.closed_by_deadline and not attempt.is_open


def test_close_date_caps_the_deadline(quiz, quiz_module, learner):
    now = timezone.now()
    quiz.time_limit_minutes = 60
    quiz.closes_at = now + timedelta(minutes=5)
    quiz.save()
    assert start_attempt(quiz, quiz_module, learner, now=now).deadline == quiz.closes_at


def test_open_and_close_dates(quiz, quiz_module, learner):
    now = timezone.now()
    quiz.opens_at = now + timedelta(days=1)
    quiz.save()
    with pytest.raises(AttemptRefused, match="opens"):
        start_attempt(quiz, quiz_module, learner, now=now)
    quiz.opens_at, quiz.closes_at = now - timedelta(days=2), now - timedelta(days=1)
    quiz.save()
    with pytest.raises(AttemptRefused):
        start_attempt(quiz, quiz_module, learner, now=now)


def test_attempt_limit_and_wait_between_attempts(quiz, quiz_module, learner):
    quiz.max_attempts, quiz.wait_minutes = 2, 30
    quiz.save()
    now = timezone.now()
    take(quiz, quiz_module, learner, right=False, now=now)
    with pytest.raises(AttemptRefused):
        start_attempt(quiz, quiz_module, learner, now=now + timedelta(minutes=29))
    take(quiz, quiz_module, learner, right=False, now=now + timedelta(minutes=31))
    with pytest.raises(AttemptRefused):
        start_attempt(quiz, quiz_module, learner, now=now + timedelta(days=1))
    assert Attempt.objects.filter(user=learner).count() == 2


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (Quiz.GradingMethod.HIGHEST, Decimal(100)),
        (Quiz.GradingMethod.AVERAGE, Decimal("50.00")),
        (Quiz.GradingMethod.FIRST, Decimal(0)),
        (Quiz.GradingMethod.LAST, Decimal(100)),
    ],
)
def test_grading_methods(quiz, quiz_module, learner, method, expected):
    quiz.grading_method = method
    quiz.save()
    take(quiz, quiz_module, learner, right=False)
    take(quiz, quiz_module, learner, right=True)
    assert quiz_grade(quiz, quiz_module, learner) == expected


def test_last_attempt_grading_with_a_worse_last_attempt(quiz, quiz_module, learner):
    quiz.grading_method = Quiz.GradingMethod.LAST
    quiz.save()
    take(quiz, quiz_module, learner, right=True)
    take(quiz, quiz_module, learner, right=False)
    assert quiz_grade(quiz, quiz_module, learner) == 0
    # The module, once completed, stays completed (certificates may rest on it).
    assert ModuleProgress.objects.get(user=learner, module=quiz_module).is_completed


def test_double_submit_grades_once(quiz, quiz_module, learner):
    attempt = start_attempt(quiz, quiz_module, learner)
    save_responses(attempt, right_responses(attempt))
    first = finish_attempt(attempt)
    second = finish_attempt(attempt)
    assert first.finished_at == second.finished_at
    assert not save_responses(attempt, wrong_responses(attempt))
    attempt.refresh_from_db()
    assert attempt.percent == 100


def test_an_empty_category_refuses_to_start(course, learner):
    from courses.models import ModulePage

    quiz = make_quiz(CategoryFactory(), 3)
    module = ModulePage.objects.child_of(course).first()
    with pytest.raises(AttemptRefused):
        start_attempt(quiz, module, learner)
