"""Grades given by a person and regrades after a correction go into the audit trail; so do exports of attempts."""

import pytest
from django.urls import reverse

from assessments.grading import essays_to_grade, regrade_question
from assessments.models import Attempt
from audit.models import Action, AuditEntry
from tests.assessments import factories
from tests.assessments.test_trainers import grader, learners, put_quiz_in, take

pytestmark = pytest.mark.django_db


def test_grading_an_essay_writes_the_marks_before_and_after(client, course):
    trainer = grader("grader@school.example.tw", course)
    client.force_login(trainer)
    category = factories.CategoryFactory()
    factories.essay(category, name="Essay")
    factories.true_false(category, name="TF", answer=True)
    quiz = factories.make_quiz(category, 2, pass_mark=75)
    module = put_quiz_in(course.modules().last().specific, quiz)
    [learner] = learners(course, 1)
    attempt = take(quiz, module, learner, {"Essay": {"answer": "做法"}, "TF": {"answer": "true"}})
    slot = essays_to_grade(Attempt.objects.all()).get()
    client.post(reverse("assessments_grade", args=[slot.pk]), {"mark": "0.5", "comment": "缺少課程連結"})
    entry = AuditEntry.objects.get(action=Action.GRADE_CHANGED)
    assert entry.actor == trainer and entry.ip_address == "127.0.0.1"
    assert entry.target_id == str(attempt.pk) and learner.email in entry.target_label
    assert entry.changes["mark"] == [None, "0.50"] and entry.changes["percent"] == [None, "75.00"]
    assert entry.reason == "缺少課程連結"


def test_a_regrade_writes_a_row_per_attempt_whose_grade_moved(course, django_capture_on_commit_callbacks):
    editor = grader("editor@school.example.tw", course)
    category = factories.CategoryFactory()
    wrong_key = factories.true_false(category, name="Miskeyed", answer=True)
    factories.true_false(category, name="Fine", answer=True)
    quiz = factories.make_quiz(category, 2, pass_mark=100)
    module = put_quiz_in(course.modules().last().specific, quiz)
    passing, failing = learners(course, 2)
    take(quiz, module, passing, {"Miskeyed": {"answer": "true"}, "Fine": {"answer": "true"}})
    take(quiz, module, failing, {"Miskeyed": {"answer": "false"}, "Fine": {"answer": "true"}})
    wrong_key.true_is_correct = False
    wrong_key.save()
    with django_capture_on_commit_callbacks(execute=True):
        regraded, _lost = regrade_question(wrong_key, by=editor)
    entries = {entry.target_id: entry for entry in AuditEntry.objects.filter(action=Action.REGRADED)}
    moved = list(Attempt.objects.filter(slots__question=wrong_key).distinct())
    assert regraded == len(moved) == len(entries) == 2
    passing_attempt = Attempt.objects.get(user=passing)
    assert entries[str(passing_attempt.pk)].changes["percent"] == ["100.00", "50.00"]
    assert entries[str(passing_attempt.pk)].actor == editor
    assert entries[str(passing_attempt.pk)].changes["question"] == wrong_key.pk


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exporting_attempts(client, course, file_format):
    trainer = grader("grader@school.example.tw", course)
    client.force_login(trainer)
    quiz = factories.make_quiz(factories.CategoryFactory(), 0)
    response = client.get(reverse("assessments_attempts_export", args=[quiz.pk, file_format]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=Action.DATA_EXPORTED)
    assert entry.actor == trainer and entry.target_label == f"quiz-{quiz.pk}-attempts.{file_format}"
