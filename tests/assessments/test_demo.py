import io
import re

import pytest

from accounts import demo as accounts_demo
from assessments import demo
from assessments.attempts import finish_attempt, save_responses, start_attempt
from assessments.models import Question, QuestionType, Quiz
from assessments.questions import question_problems
from courses import demo as courses_demo
from courses.enrolment import enrol
from courses.models import ModulePage, ModuleProgress
from courses.progress import record_view, refresh_enrolment
from home import demo as home_demo
from tests.assessments.answers import right_responses
from tests.courses.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_site(locales):
    out = io.StringIO()
    for app in (accounts_demo, home_demo, courses_demo, demo):
        app.load(out)
    return out


def test_the_bank_holds_thirty_real_bilingual_questions_and_loading_twice_adds_nothing(demo_site):
    chapter = Quiz.objects.get(title_en="Advanced programme final exam").draws.get().category
    questions = list(chapter.questions.prefetch_related("options"))
    assert len(questions) >= 30
    for question in questions:
        assert question.text_zh and question.text_en
        assert re.search(r"[\u4e00-\u9fff]", question.text_zh)
        assert not re.search(r"[\u4e00-\u9fff]", question.text_en)
        assert question_problems(question, list(question.options.all())) == {}
        assert question.revisions.exists()
    assert QuestionType.ESSAY not in {q.question_type for q in questions}
    counts = (Question.objects.count(), ModulePage.objects.count())
    demo.load(io.StringIO())
    assert (Question.objects.count(), ModulePage.objects.count()) == counts


def test_the_advanced_course_is_completed_only_by_passing_the_final_exam(demo_site):
    teacher = UserFactory()
    exam_module = ModulePage.objects.get(slug="final-exam", locale__language_code="zh-hant")
    assert ModulePage.objects.filter(translation_key=exam_module.translation_key).count() == 2
    course = exam_module.course
    enrol(teacher, course)
    others = ModulePage.objects.child_of(course).live().exclude(pk=exam_module.pk)
    for module in others:
        record_view(teacher, module)
    # Every other module completed (the H5P quiz by its own rule), the exam not yet passed.
    ModuleProgress.objects.filter(user=teacher, module__in=others).update(status=ModuleProgress.Status.COMPLETED)
    enrolment = refresh_enrolment(teacher, course)
    assert enrolment.completed_at is None
    assert enrolment.progress_percent == 100 * others.count() // (others.count() + 1)
    quiz = Quiz.objects.get(title_en="Advanced programme final exam")
    attempt = start_attempt(quiz, exam_module, teacher)
    assert attempt.slots.count() == demo.EXAM_SIZE
    save_responses(attempt, right_responses(attempt))
    assert finish_attempt(attempt).percent == 100
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert ModuleProgress.objects.get(user=teacher, module=exam_module).best_score == 100
