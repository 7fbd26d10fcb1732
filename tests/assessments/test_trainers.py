"""Trainers: the essay grading queue, regrading after a correction, item statistics and exports of attempts."""

import csv
import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from assessments.attempts import finish_attempt, save_responses, start_attempt
from assessments.grading import essays_to_grade, regrade_question
from assessments.models import Attempt
from assessments.statistics import quiz_statistics
from courses.models import Enrolment, ModuleProgress
from lms.roles import TRAINERS, sync_roles
from notifications.models import Notification
from tests.assessments import factories
from tests.courses.factories import CoursePageFactory, UserFactory

pytestmark = pytest.mark.django_db


def grader(email, *courses):
    """A member of the Trainers group with an authenticator, training ``courses``."""
    sync_roles()
    trainer = UserFactory(email=email)
    trainer.groups.add(Group.objects.get(name=TRAINERS))
    TOTP.activate(trainer, generate_totp_secret())
    for course in courses:
        course.trainers.add(trainer)
        course.save()
    return trainer


@pytest.fixture
def trainer_client(client, course):
    client.force_login(grader("grader@school.example.tw", course))
    return client


def put_quiz_in(module, quiz):
    module.body = [("quiz", {"quiz": quiz})]
    module.completion_rule = "quiz_passed"
    module.save_revision().publish()
    module.refresh_from_db()
    return module


def learners(course, count):
    users = [UserFactory() for _ in range(count)]
    for user in users:
        Enrolment.objects.create(user=user, course=course)
    return users


def take(quiz, module, user, answers):
    """``answers``: {question name: response}."""
    attempt = start_attempt(quiz, module, user)
    slots = attempt.slots.select_related("question")
    save_responses(attempt, {slot.position: answers.get(slot.question.name, {}) for slot in slots})
    return finish_attempt(attempt)


def test_an_essay_waits_in_the_queue_and_its_grade_completes_the_module(trainer_client, course):
    category = factories.CategoryFactory()
    factories.essay(category, name="Essay")
    factories.true_false(category, name="TF", answer=True)
    quiz = factories.make_quiz(category, 2, pass_mark=75)
    module = put_quiz_in(course.modules().last().specific, quiz)
    [learner] = learners(course, 1)
    attempt = take(quiz, module, learner, {"Essay": {"answer": "兩項具體做法"}, "TF": {"answer": "true"}})
    assert attempt.state == Attempt.State.NEEDS_GRADING and attempt.percent is None
    assert not ModuleProgress.objects.filter(user=learner, module=module, status="completed").exists()
    slot = essays_to_grade(Attempt.objects.all()).get()
    page = trainer_client.get(reverse("assessments_grade", args=[slot.pk])).content.decode()
    assert "兩項具體做法" in page and "提出兩項具體做法" in page  # the answer and the rubric
    refused = trainer_client.post(reverse("assessments_grade", args=[slot.pk]), {"mark": "5", "comment": ""})
    assert refused.status_code == 200 and not essays_to_grade(Attempt.objects.all()).get().grader_id
    response = trainer_client.post(
        reverse("assessments_grade", args=[slot.pk]), {"mark": "0.5", "comment": "具體，但缺少課程連結。"}
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED and attempt.percent == 75
    assert ModuleProgress.objects.get(user=learner, module=module).is_completed
    assert not essays_to_grade(Attempt.objects.all()).exists()
    # The learner is told, in the notification centre, and the notice leads to the review.
    notice = Notification.objects.get(recipient=learner, event="essay_graded")
    assert notice.url == reverse("assessments:review", args=[attempt.pk])
    trainer_client.force_login(learner)
    review = trainer_client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()
    assert "具體，但缺少課程連結。" in review


def test_regrading_after_a_correction_tells_the_learner_who_loses_a_pass(course, django_capture_on_commit_callbacks):
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
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        regraded, lost = regrade_question(wrong_key)
    assert regraded == 2 and lost == [passing]
    assert Attempt.objects.get(user=passing).percent == 50
    assert Attempt.objects.get(user=failing).percent == 100
    assert ModuleProgress.objects.get(user=failing, module=module).is_completed
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [passing.email]
    assert "50" in mail.outbox[0].body and "----" in mail.outbox[0].body  # both languages


def test_item_statistics_follow_moodles_definitions(course):
    category = factories.CategoryFactory()
    factories.true_false(category, name="Q1", answer=True)
    factories.true_false(category, name="Q2", answer=True)
    quiz = factories.make_quiz(category, 2)
    module = put_quiz_in(course.modules().last().specific, quiz)
    a, b, c = learners(course, 3)
    take(quiz, module, a, {"Q1": {"answer": "true"}, "Q2": {"answer": "true"}})
    take(quiz, module, b, {"Q1": {"answer": "true"}, "Q2": {"answer": "false"}})
    take(quiz, module, c, {"Q1": {"answer": "false"}, "Q2": {"answer": "false"}})
    rows = {row.question.name: row for row in quiz_statistics(quiz, Attempt.objects.all())}
    q1 = rows["Q1"]
    assert q1.attempts == 3
    assert q1.facility == 66.67
    assert q1.standard_deviation == 57.74
    assert q1.discrimination == 50.0
    assert q1.option_counts == [("True", 2), ("False", 1)]
    assert rows["Q2"].facility == 33.33


def test_report_and_exports_for_trainers(trainer_client, course):
    category = factories.CategoryFactory()
    factories.true_false(category, name="Q1", answer=True)
    factories.single_choice(category, name="Q2")
    quiz = factories.make_quiz(category, 2)
    module = put_quiz_in(course.modules().last().specific, quiz)
    for learner in learners(course, 2):
        take(quiz, module, learner, {"Q1": {"answer": "true"}})
    report = trainer_client.get(reverse("assessments_report", args=[quiz.pk])).content.decode()
    assert "<svg" in report and "Q1" in report and "100.0%" in report
    exported = trainer_client.get(reverse("assessments_attempts_export", args=[quiz.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert len(rows) == 3 and len(rows[0]) == 11
    workbook = load_workbook(
        io.BytesIO(trainer_client.get(reverse("assessments_attempts_export", args=[quiz.pk, "xlsx"])).content)
    )
    assert workbook.active.max_row == 3
    teacher_client = trainer_client
    teacher_client.force_login(UserFactory())
    assert teacher_client.get(reverse("assessments_report", args=[quiz.pk])).status_code in (302, 403)


def test_a_trainer_of_another_course_reads_none_of_its_learners(client, course, home_page):
    category = factories.CategoryFactory()
    factories.essay(category, name="Essay")
    quiz = factories.make_quiz(category, 1)
    module = put_quiz_in(course.modules().last().specific, quiz)
    [learner] = learners(course, 1)
    take(quiz, module, learner, {"Essay": {"answer": "我的申論"}})
    slot = essays_to_grade(Attempt.objects.all()).get()
    elsewhere = CoursePageFactory(parent=course.get_parent(), title="另一門課程")
    client.force_login(grader("other-grader@school.example.tw", elsewhere))
    assert "我的申論" not in client.get(follow=True, path=reverse("assessments_grading")).content.decode()
    assert client.get(follow=True, path=reverse("assessments_grade", args=[slot.pk])).status_code == 404
    report = client.get(follow=True, path=reverse("assessments_report", args=[quiz.pk]))
    assert report.status_code == 200 and learner.email not in report.content.decode()
    for file_format in ("csv", "xlsx"):
        exported = client.get(follow=True, path=reverse("assessments_attempts_export", args=[quiz.pk, file_format]))
        assert exported.status_code == 200 and learner.email.encode() not in exported.content
    # The course's own trainer reads them.
    client.force_login(grader("own-grader@school.example.tw", course))
    assert "我的申論" in client.get(follow=True, path=reverse("assessments_grade", args=[slot.pk])).content.decode()
    exported = client.get(follow=True, path=reverse("assessments_attempts_export", args=[quiz.pk, "csv"]))
    assert learner.email in exported.content.decode()
