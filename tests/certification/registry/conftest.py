"""Fixtures of the registry tests: programmes, issuing, verification, administration."""

import pytest

from certification.models import Certificate
from certification.registry.issuing import issue_and_complete
from tests.certification.factories import ProgrammeFactory, TeacherFactory
from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, ModulePageFactory


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def course_index(home_page):
    return CourseIndexPageFactory(parent=home_page)


@pytest.fixture
def courses(course_index):
    """Two courses of 6 hours, each with one module."""
    made = []
    for _index in range(2):
        course = CoursePageFactory(parent=course_index)
        ModulePageFactory(parent=course)
        made.append(course)
    return made


@pytest.fixture
def teacher(db):
    return TeacherFactory()


@pytest.fixture
def programme(db):
    return ProgrammeFactory(validity_years=3)


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Issue, render and sign a certificate now, as the task would; on-commit e-mails are sent."""

    def make(user, programme, **kwargs):
        kwargs.setdefault("origin", Certificate.Origin.MANUAL)
        with django_capture_on_commit_callbacks(execute=True):
            return issue_and_complete(user, programme, **kwargs)

    return make


@pytest.fixture
def certificate(teacher, programme, issue):
    return issue(teacher, programme)
