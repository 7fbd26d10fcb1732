"""Issue 17: the quiz attempt page and its answer save, as a learner taking a quiz requests them.

Query budgets counted on a request after the first, as a running server sees them. The attempt page is kept whole
for its learner (``assessments.page_cache``, through ``courses.learner_pages``) and each of its questions rendered
per slot (one attempt's, so one learner's), question version, answer and language
(``assessments.presentation.question_fragments``): a second learner never sees the first's answers, and a saved
answer, an author's edit, a retitled quiz or another language reaches the page at once; a timed attempt is rendered
every time (it counts down from the seconds left). The save stores what it says it stored.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from assessments.attempts import start_attempt
from assessments.models import Attempt, AttemptSlot, QuestionType, Quiz
from courses.models import Enrolment
from tests.assessments.factories import CategoryFactory, essay, make_quiz, single_choice, true_false
from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, ModulePageFactory, UserFactory

pytestmark = pytest.mark.django_db

# The session's user and the learner's attempt (its quiz and module joined): the page itself is kept whole for its
# learner until an answer, the question bank or anything else it shows changes (``assessments.page_cache``).
ATTEMPT_PAGE_MAX = 2
# Rendered again after a save: its slots with their questions, and the options of the one question answered (the
# others come rendered from the cache).
ATTEMPT_PAGE_RENDERED_MAX = 4
# On PostgreSQL: the session's user, then one statement, its own transaction: the attempt locked if open and in
# time, the answers that changed written (``assessments.attempts.SAVE_AT_ONCE``); the form is read against the
# attempt's positions and question types kept in the cache. Elsewhere (SQLite) in a transaction: the user, the
# attempt found and locked, its slots, one UPDATE of the answers that changed, and in a test the transaction's
# savepoint and its release.
ANSWER_SAVE_MAX = 2 if connection.vendor == "postgresql" else 6


@pytest.fixture
def quiz_module(home_page):
    """A module whose quiz draws all three questions of its bank: every attempt shows the same questions."""
    category = CategoryFactory()
    single_choice(category)
    true_false(category)
    essay(category, text_zh="請說明貴校的國際教育計畫。", text_en="Describe your school's plan.")
    quiz = make_quiz(category, 3, kind="practice")
    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page))
    module = ModulePageFactory(parent=course, title="測驗", slug="quiz")
    module.body = [("quiz", {"quiz": quiz})]
    module.completion_rule = "quiz_passed"
    module.save_revision().publish()
    module.refresh_from_db()
    return module


def learner_with_attempt(module, name):
    learner = UserFactory(first_name=name)
    Enrolment.objects.create(user=learner, course=module.get_parent().specific)
    quiz_id = module.blocks_of_type("quiz")[0]["quiz"]
    return learner, start_attempt(Quiz.objects.get(pk=quiz_id), module, learner)


@pytest.fixture
def ada(quiz_module):
    return learner_with_attempt(quiz_module, "Ada")


@pytest.fixture
def bea(quiz_module):
    return learner_with_attempt(quiz_module, "Bea")


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def page_url(attempt):
    return reverse("assessments:attempt", kwargs={"attempt_id": attempt.pk})


def save_url(attempt):
    return reverse("assessments:save", kwargs={"attempt_id": attempt.pk})


def essay_slot(attempt):
    return attempt.slots.get(question__question_type=QuestionType.ESSAY)


def form(attempt, essay_text, choice="0"):
    """The attempt form as ``attempt.js`` posts it: every question shown, the essay and one choice answered."""
    data = {}
    for slot in attempt.slots.select_related("question"):
        data[f"s{slot.position}-shown"] = "1"
        kind = slot.question.question_type
        if kind == QuestionType.ESSAY:
            data[f"s{slot.position}-answer"] = essay_text
        elif kind == QuestionType.SINGLE_CHOICE:
            data[f"s{slot.position}-choice"] = choice
        else:
            data[f"s{slot.position}-answer"] = "true"
    return data


class TestQueryBudgets:
    def test_attempt_page(self, ada, django_assert_max_num_queries):
        learner, attempt = ada
        client = browser(learner)
        assert client.get(page_url(attempt)).status_code == 200  # renders and keeps each question
        with django_assert_max_num_queries(ATTEMPT_PAGE_MAX):
            response = client.get(page_url(attempt))
        assert response.text.count('<fieldset class="quiz-question"') == 3
        assert "請說明貴校" in response.text

    def test_attempt_page_after_one_answer_saved(self, ada, django_assert_max_num_queries):
        """Only the question answered is rendered again: its options are read, nothing else is."""
        learner, attempt = ada
        client = browser(learner)
        client.get(page_url(attempt))
        assert client.post(save_url(attempt), form(attempt, "第一版")).json()["saved"] is True
        with django_assert_max_num_queries(ATTEMPT_PAGE_RENDERED_MAX):
            response = client.get(page_url(attempt))
        assert "第一版" in response.text

    def test_answer_save(self, ada, django_assert_max_num_queries):
        learner, attempt = ada
        client = browser(learner)
        assert client.post(save_url(attempt), form(attempt, "first")).status_code == 200
        data = form(attempt, "second", choice="1")
        with django_assert_max_num_queries(ANSWER_SAVE_MAX):
            response = client.post(save_url(attempt), data)
        assert response.status_code == 200 and response.json()["saved"] is True
        # Stored, not only answered: the rows hold the new answers.
        assert essay_slot(attempt).response == {"answer": "second"}
        choice = attempt.slots.get(question__question_type=QuestionType.SINGLE_CHOICE)
        assert choice.response == {"choice": "1"}

    def test_an_unchanged_answer_writes_nothing(self, ada, django_assert_max_num_queries):
        learner, attempt = ada
        client = browser(learner)
        data = form(attempt, "same")
        client.post(save_url(attempt), data)
        saved_at = essay_slot(attempt).saved_at
        before = AttemptSlot.objects.filter(attempt=attempt).values_list("pk", "saved_at").order_by("pk")
        before = list(before)
        with django_assert_max_num_queries(ANSWER_SAVE_MAX) as queries:
            assert client.post(save_url(attempt), data).json()["saved"] is True
        assert not any(query["sql"].startswith("UPDATE") for query in queries.captured_queries)
        assert essay_slot(attempt).saved_at == saved_at
        # No row rewritten (on PostgreSQL the one statement updates only the rows whose answer differs).
        assert list(AttemptSlot.objects.filter(attempt=attempt).values_list("pk", "saved_at").order_by("pk")) == before


class TestEachLearnerTheirOwn:
    def test_a_second_learner_never_sees_the_firsts_answers(self, ada, bea):
        (ada_user, ada_attempt), (bea_user, bea_attempt) = ada, bea
        ada_client, bea_client = browser(ada_user), browser(bea_user)
        assert ada_client.post(save_url(ada_attempt), form(ada_attempt, "Ada 的答案", choice="2")).status_code == 200
        assert "Ada 的答案" in ada_client.get(page_url(ada_attempt)).text  # kept rendered now
        # Bea's attempt shows the same questions in the same places, and none of Ada's answers.
        bea_page = bea_client.get(page_url(bea_attempt)).text
        assert bea_page.count('<fieldset class="quiz-question"') == 3
        assert "Ada 的答案" not in bea_page and "checked" not in bea_page
        # Bea answering the same way gets her own page, not Ada's copy under the same answer.
        bea_client.post(save_url(bea_attempt), form(bea_attempt, "Bea 的答案"))
        bea_page = bea_client.get(page_url(bea_attempt)).text
        assert "Bea 的答案" in bea_page and "Ada 的答案" not in bea_page
        assert "Ada 的答案" in ada_client.get(page_url(ada_attempt)).text

    def test_a_second_browser_saves_with_its_own_csrf_token_from_the_kept_page(self, ada):
        learner, attempt = ada
        first, second = browser(learner), browser(learner)
        first.get(page_url(attempt))
        first.get(page_url(attempt))  # kept now
        page = second.get(page_url(attempt)).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        assert _unmask_cipher_token(token) == second.cookies["csrftoken"].value
        second.handler.enforce_csrf_checks = True
        response = second.post(save_url(attempt), {**form(attempt, "第二個瀏覽器"), "csrfmiddlewaretoken": token})
        assert response.status_code == 200 and response.json()["saved"] is True
        assert essay_slot(attempt).response == {"answer": "第二個瀏覽器"}

    def test_another_learners_attempt_is_neither_shown_nor_saved(self, ada, bea):
        (ada_user, ada_attempt), (bea_user, _bea_attempt) = ada, bea
        browser(ada_user).post(save_url(ada_attempt), form(ada_attempt, "Ada 的答案"))
        bea_client = browser(bea_user)
        assert bea_client.get(page_url(ada_attempt)).status_code == 404
        assert bea_client.post(save_url(ada_attempt), form(ada_attempt, "Bea 改的")).status_code == 404
        assert essay_slot(ada_attempt).response == {"answer": "Ada 的答案"}
        assert not AttemptSlot.objects.filter(response__answer="Bea 改的").exists()


class TestChangesReachThePage:
    def test_a_questions_new_type_reads_the_next_save(self, ada):
        # The save reads a form against the attempt's positions and question types, kept between saves.
        learner, attempt = ada
        client = browser(learner)
        slot = attempt.slots.get(question__question_type=QuestionType.TRUE_FALSE)
        data = {**form(attempt, "first"), f"s{slot.position}-choice": "1"}
        assert client.post(save_url(attempt), data).json()["saved"] is True
        slot.refresh_from_db()
        assert slot.response == {"answer": "true"}
        question = slot.question
        question.question_type = QuestionType.SINGLE_CHOICE
        question.save()
        assert client.post(save_url(attempt), data).json()["saved"] is True
        slot.refresh_from_db()
        assert slot.response == {"choice": "1"}

    def test_a_saved_answer_replaces_the_kept_question(self, ada):
        learner, attempt = ada
        client = browser(learner)
        client.post(save_url(attempt), form(attempt, "草稿一"))
        assert "草稿一" in client.get(page_url(attempt)).text
        client.post(save_url(attempt), form(attempt, "草稿二"))
        page = client.get(page_url(attempt)).text
        assert "草稿二" in page and "草稿一" not in page

    def test_an_authors_edit_shows_at_once(self, ada):
        learner, attempt = ada
        client = browser(learner)
        client.get(page_url(attempt))
        question = essay_slot(attempt).question
        question.text_zh = "請說明貴校明年的計畫。"
        question.text_en = "Describe next year's plan."
        question.save()
        page = client.get(page_url(attempt)).text
        assert "明年" in page and "請說明貴校的國際教育計畫" not in page

    def test_a_retitled_quiz_shows_at_once(self, ada):
        learner, attempt = ada
        client = browser(learner)
        client.get(page_url(attempt))
        quiz = Quiz.objects.get(pk=attempt.quiz_id)
        quiz.title_zh = "期中測驗"
        quiz.save()
        assert "期中測驗" in client.get(page_url(attempt)).text

    def test_a_timed_attempt_counts_down_from_now(self, ada):
        learner, attempt = ada
        client = browser(learner)
        Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(minutes=30))
        first = re.search(r'data-seconds-left="(\d+)"', client.get(page_url(attempt)).text)[1]
        Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(minutes=10))
        second = re.search(r'data-seconds-left="(\d+)"', client.get(page_url(attempt)).text)[1]
        assert int(first) > 1700 and int(second) <= 600

    def test_each_language_its_own(self, ada):
        learner, attempt = ada
        client = browser(learner)
        pages = {}
        for language in ("en", "zh-hant", "en"):
            with translation.override(language):
                pages[language] = client.get(page_url(attempt)).text
        assert "Describe your school" in pages["en"] and "請說明貴校" not in pages["en"]
        assert "請說明貴校" in pages["zh-hant"] and "Describe your school" not in pages["zh-hant"]
