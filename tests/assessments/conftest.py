import pytest
from django.utils import translation

from courses.models import Enrolment
from tests.assessments.factories import CategoryFactory, make_quiz, single_choice, true_false
from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, ModulePageFactory, UserFactory


@pytest.fixture
def course(home_page):
    """A course of three modules; the last one holds the quiz."""
    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page), title="國際教育推動計畫")
    for number in range(1, 4):
        ModulePageFactory(parent=course, title=f"第 {number} 單元", slug=f"unit-{number}")
    return course


@pytest.fixture
def modules(course):
    return list(course.modules())


@pytest.fixture
def teacher(db):
    return UserFactory(email="teacher@school.example.tw")


@pytest.fixture
def bank(db):
    """A category of five single-choice and five true/false questions."""
    category = CategoryFactory(name_en="Chapter 4", name_zh="第四章")
    for _ in range(5):
        single_choice(category)
        true_false(category)
    return category


@pytest.fixture
def quiz(bank):
    return make_quiz(bank, 4, pass_mark=50)


@pytest.fixture
def quiz_module(course, quiz):
    """The course's last module, completed by passing ``quiz``."""
    module = course.modules().last().specific
    module.body = [("quiz", {"quiz": quiz})]
    module.completion_rule = "quiz_passed"
    module.save_revision().publish()
    module.refresh_from_db()
    return module


@pytest.fixture
def learner(course, teacher):
    Enrolment.objects.create(user=teacher, course=course)
    return teacher


@pytest.fixture(autouse=True)
def in_english():
    """Messages read outside a request are in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield
