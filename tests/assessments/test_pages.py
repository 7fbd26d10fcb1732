"""The learner's pages: the no-JavaScript path, who may see an attempt, review rules, accessibility, queries."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.attempts import start_attempt
from assessments.models import Attempt, Quiz
from courses.models import ModuleProgress
from tests.assessments.answers import right_responses
from tests.courses.factories import UserFactory

pytestmark = pytest.mark.django_db


def form_data(attempt, responses, **extra):
    data = {**extra}
    for slot in attempt.slots.all():
        data[f"s{slot.position}-shown"] = "1"
        for key, value in responses.get(slot.position, {}).items():
            data[f"s{slot.position}-{key}"] = value
    return data


def start_through_the_module(client, module, quiz):
    page = client.get(module.url)
    assert page.status_code == 200
    start_url = reverse("assessments:start", kwargs={"module_id": module.pk, "quiz_id": quiz.pk})
    assert start_url in page.content.decode()
    response = client.post(start_url)
    assert response.status_code == 302
    return Attempt.objects.get(pk=int(re.search(r"/attempts/(\d+)/", response["Location"]).group(1)))


def test_answer_save_resume_and_submit_without_javascript(client, quiz, quiz_module, learner):
    client.force_login(learner)
    attempt = start_through_the_module(client, quiz_module, quiz)
    url = reverse("assessments:attempt", kwargs={"attempt_id": attempt.pk})
    page = client.get(url).content.decode()
    assert page.count("<fieldset") == 4
    responses = right_responses(attempt)
    first_half = {position: response for position, response in responses.items() if position < 2}
    assert client.post(url, form_data(attempt, first_half, save="1")).status_code == 302
    # The browser is closed; coming back through the module continues the same attempt with its answers.
    client.logout()
    client.force_login(learner)
    module_page = client.get(quiz_module.url).content.decode()
    assert f'href="{url}"' in module_page  # "Continue your attempt"
    assert Attempt.objects.get(user=learner).pk == attempt.pk
    assert "checked" in client.get(url).content.decode()
    response = client.post(url, form_data(attempt, responses, finish="1"))
    assert response["Location"] == reverse("assessments:review", kwargs={"attempt_id": attempt.pk})
    review = client.get(response["Location"]).content.decode()
    assert "100%" in review
    assert ModuleProgress.objects.get(user=learner, module=quiz_module).is_completed


def test_the_save_reply_says_only_whether_it_was_stored(client, quiz, quiz_module, learner):
    client.force_login(learner)
    attempt = start_attempt(quiz, quiz_module, learner)
    save_url = reverse("assessments:save", kwargs={"attempt_id": attempt.pk})
    reply = client.post(save_url, form_data(attempt, right_responses(attempt)))
    assert reply.status_code == 200
    assert set(reply.json()) == {"saved", "at"}
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    late = client.post(save_url, form_data(attempt, {}))
    assert late.status_code == 409
    assert late.json()["saved"] is False


def test_nobody_else_reaches_an_attempt(client, quiz, quiz_module, learner):
    attempt = start_attempt(quiz, quiz_module, learner)
    client.force_login(UserFactory())
    for name in ("attempt", "review"):
        assert client.get(reverse(f"assessments:{name}", kwargs={"attempt_id": attempt.pk})).status_code == 404
    assert client.post(reverse("assessments:save", kwargs={"attempt_id": attempt.pk})).status_code == 404


def test_a_learner_not_enrolled_cannot_start(client, quiz, quiz_module):
    client.force_login(UserFactory())
    url = reverse("assessments:start", kwargs={"module_id": quiz_module.pk, "quiz_id": quiz.pk})
    assert client.post(url).status_code == 404
    assert not Attempt.objects.exists()


def test_a_quiz_of_another_module_cannot_be_started_from_this_one(client, quiz, quiz_module, learner, modules):
    client.force_login(learner)
    other = modules[0]
    url = reverse("assessments:start", kwargs={"module_id": other.pk, "quiz_id": quiz.pk})
    assert client.post(url).status_code == 404


class FormAudit(HTMLParser):
    """Collects the inputs of a form, the labels' targets, and fieldsets with their legends."""

    def __init__(self):
        super().__init__()
        self.controls, self.labels, self.fieldsets, self.legends = [], set(), 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append(attrs.get("id"))
        if tag == "label":
            self.labels.add(attrs.get("for"))
        self.fieldsets += tag == "fieldset"
        self.legends += tag == "legend"


def test_every_control_has_a_label_and_every_question_a_legend(client, course, learner, quiz_module):
    from tests.assessments import factories

    category = factories.CategoryFactory()
    for make in factories.EVERY_TYPE:
        make(category)
    quiz = factories.make_quiz(category, len(factories.EVERY_TYPE))
    attempt = start_attempt(quiz, quiz_module, learner)
    client.force_login(learner)
    audit = FormAudit()
    audit.feed(client.get(reverse("assessments:attempt", kwargs={"attempt_id": attempt.pk})).content.decode())
    assert audit.fieldsets == audit.legends == len(factories.EVERY_TYPE)
    assert audit.controls and None not in audit.controls
    assert set(audit.controls) <= audit.labels


def test_practice_review_shows_right_answers_and_exam_review_only_the_mark(client, quiz, quiz_module, learner):
    client.force_login(learner)
    attempt = start_attempt(quiz, quiz_module, learner)
    url = reverse("assessments:attempt", kwargs={"attempt_id": attempt.pk})
    client.post(url, form_data(attempt, right_responses(attempt), finish="1"))
    review_url = reverse("assessments:review", kwargs={"attempt_id": attempt.pk})
    assert "quiz-right-answer" in client.get(review_url).content.decode()
    quiz.kind = Quiz.Kind.EXAM
    quiz.closes_at = timezone.now() + timedelta(days=1)
    quiz.save()
    exam_review = client.get(review_url).content.decode()
    assert "quiz-right-answer" not in exam_review and "<fieldset" not in exam_review
    assert "100%" in exam_review
    Quiz.objects.filter(pk=quiz.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert "quiz-right-answer" in client.get(review_url).content.decode()


def test_query_counts_are_bounded(client, quiz, quiz_module, learner, django_assert_max_num_queries):
    client.force_login(learner)
    attempt = start_attempt(quiz, quiz_module, learner)
    url = reverse("assessments:attempt", kwargs={"attempt_id": attempt.pk})
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    data = form_data(attempt, right_responses(attempt))
    with django_assert_max_num_queries(12):
        assert client.post(reverse("assessments:save", kwargs={"attempt_id": attempt.pk}), data).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.post(url, {**data, "finish": "1"}).status_code == 302
