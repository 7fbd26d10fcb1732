"""Nothing the server sends during an attempt gives away an answer.

Every response of an exam taken from start to submission is recorded (module page, attempt page, the JSON replies
of saving, the no-JavaScript save, the review before the exam closes) and searched for the accepted answers,
numbers, tolerances, fractions, feedback and rubric of every question type.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, QuestionType, Quiz
from tests.assessments import factories
from tests.assessments.test_pages import form_data

pytestmark = pytest.mark.django_db

SECRETS = [
    "ZEBRA-ANSWER", "斑馬答案", "4711.0137", "0.0271", "OKAPI-GAP", "8128", "0.5:", "FEEDBACK-SECRET",
    "GENERAL-SECRET", "RUBRIC-SECRET", "0.33333", "1.00000", "fraction", "tolerance", "true_is_correct",
]  # fmt: skip


@pytest.fixture
def secret_exam(course):
    category = factories.CategoryFactory()
    common = {"general_feedback_en": "GENERAL-SECRET", "general_feedback_zh": "GENERAL-SECRET"}
    factories.make_question(
        QuestionType.SHORT_ANSWER,
        [{"text_en": "ZEBRA-ANSWER", "text_zh": "斑馬答案", "fraction": 1, "feedback_en": "FEEDBACK-SECRET"}],
        category,
        **common,
    )
    factories.make_question(
        QuestionType.NUMERIC,
        [{"text_en": "4711.0137", "fraction": 1, "tolerance": Decimal("0.0271")}],
        category,
        **common,
    )
    factories.make_question(
        QuestionType.CLOZE,
        [],
        category,
        text_zh="甲{1:SA:=OKAPI-GAP}乙{1:NM:=8128:0.5}丙{1:MC:wrong~=right~other}",
        text_en="A {1:SA:=OKAPI-GAP} B {1:NM:=8128:0.5} C {1:MC:wrong~=right~other}",
        **common,
    )
    factories.make_question(
        QuestionType.SINGLE_CHOICE,
        [
            {"text_en": "first written, right", "text_zh": "對", "fraction": 1, "feedback_en": "FEEDBACK-SECRET"},
            {"text_en": "wrong", "text_zh": "錯", "fraction": Decimal("0.33333")},
        ],
        category,
        **common,
    )
    factories.true_false(category, answer=True, **common)
    factories.essay(category, rubric_en="RUBRIC-SECRET", rubric_zh="RUBRIC-SECRET")
    for make in (factories.multiple_response, factories.matching, factories.ordering):
        make(category, **common)
    return factories.make_quiz(
        category, 9, kind=Quiz.Kind.EXAM, closes_at=timezone.now() + timedelta(days=3), time_limit_minutes=30
    )


@pytest.fixture
def exam_module(course, secret_exam):
    module = course.modules().first().specific
    module.body = [("quiz", {"quiz": secret_exam})]
    module.completion_rule = "quiz_passed"
    module.save_revision().publish()
    return module


def test_no_response_during_an_attempt_carries_an_answer(client, exam_module, secret_exam, learner):
    client.force_login(learner)
    sent = []

    def record(response):
        sent.append(response.content.decode())
        return response

    record(client.get(exam_module.url))
    start = record(
        client.post(reverse("assessments:start", kwargs={"module_id": exam_module.pk, "quiz_id": secret_exam.pk}))
    )
    attempt = Attempt.objects.get(user=learner)
    attempt_url = reverse("assessments:attempt", kwargs={"attempt_id": attempt.pk})
    assert start["Location"] == attempt_url
    record(client.get(attempt_url))
    record(client.get(attempt_url.replace("/zh-hant/", "/en/")))
    record(client.get(exam_module.url))
    typed = {slot.position: {"answer": "a guess"} for slot in attempt.slots.all()}
    save_url = reverse("assessments:save", kwargs={"attempt_id": attempt.pk})
    for _ in range(3):
        record(client.post(save_url, form_data(attempt, typed)))
    record(client.post(attempt_url, form_data(attempt, typed, save="1")))
    record(client.get(attempt_url))
    finish = record(client.post(attempt_url, form_data(attempt, typed, finish="1")))
    record(client.get(finish["Location"]))
    record(client.get(exam_module.url))
    # A save after submission is refused and its reply says nothing either.
    record(client.post(save_url, form_data(attempt, typed)))

    assert len(sent) >= 12
    for body in sent:
        for secret in SECRETS:
            assert secret not in body, f"{secret!r} reached the browser"

    # Choices are posted as positions 0…n-1 in the order shown, never as option ids.
    values = set(re.findall(r'name="s\d+-choices?" value="([^"]*)"', "".join(sent)))
    assert values <= {str(n) for n in range(10)}


def test_the_review_reveals_answers_once_the_exam_closes(client, exam_module, secret_exam, learner):
    """The same recording after the close date finds the answers: the search above can see them."""
    client.force_login(learner)
    client.post(reverse("assessments:start", kwargs={"module_id": exam_module.pk, "quiz_id": secret_exam.pk}))
    attempt = Attempt.objects.get(user=learner)
    client.post(reverse("assessments:attempt", kwargs={"attempt_id": attempt.pk}), form_data(attempt, {}, finish="1"))
    Quiz.objects.filter(pk=secret_exam.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    review = client.get(reverse("assessments:review", kwargs={"attempt_id": attempt.pk})).content.decode()
    assert "ZEBRA-ANSWER" in review or "斑馬答案" in review
    assert "GENERAL-SECRET" in review
