"""Fixtures of the registry tests: programmes, issuing, verification, administration."""

import pytest

from tests.certification.factories import CourseIndexPageFactory, CoursePageFactory, ModulePageFactory, TeacherFactory


@pytest.fixture
def course_index(home_page):
    return CourseIndexPageFactory(parent=home_page)


@pytest.fixture
def courses(course_index):
    """Two courses of 6 hours, each with one scored module."""
    made = []
    for _index in range(2):
        course = CoursePageFactory(parent=course_index)
        ModulePageFactory(parent=course)
        made.append(course)
    return made


@pytest.fixture
def teacher(db):
    return TeacherFactory()
