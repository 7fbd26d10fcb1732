import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.utils.translation import override

from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, ModulePageFactory, UserFactory


@pytest.fixture
def course_index(home_page):
    return CourseIndexPageFactory(parent=home_page)


@pytest.fixture
def course(course_index):
    """A beginner course of 6 hours with three modules completed by viewing."""
    course = CoursePageFactory(parent=course_index, title="國際教育概論", slug="introduction")
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
def trainer(course):
    """A trainer of the course, with the authenticator app every privileged role must have."""
    trainer = UserFactory(email="trainer@school.example.tw")
    TOTP.activate(trainer, generate_totp_secret())
    course.trainers.add(trainer)
    course.save()
    return trainer


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits and cached facts are per user id, and ids are reused from one test to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english():
    """Messages in English, for tests that read them outside a request."""
    with override("en"):
        yield
