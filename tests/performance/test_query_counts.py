"""Query counts of issue 8 not covered next to their app's tests: the course page and the module page.

Counted on the second request, as a running server sees them (the site and its settings are cached after the
first), and with more modules and learners than a test needs, so a query per row would show.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Enrolment, ModuleProgress
from courses.progress import record_view
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    EnrolmentFactory,
    ModulePageFactory,
    UserFactory,
)

COURSE_PAGE_MAX = 10
MODULE_PAGE_MAX = 12


@pytest.fixture
def course(home_page):
    index = CourseIndexPageFactory(parent=home_page)
    course = CoursePageFactory(parent=index)
    for number in range(12):
        ModulePageFactory(parent=course, body=[{"type": "paragraph", "value": f"<p>第 {number} 單元</p>"}])
    return course


@pytest.fixture
def crowd(course):
    """Thirty other learners part-way through the course: their rows must not be read for one learner's page."""
    modules = list(course.get_children().specific())
    for number in range(30):
        learner = UserFactory()
        EnrolmentFactory(user=learner, course=course)
        for module in modules[: number % 5]:
            ModuleProgress.objects.create(user=learner, module=module, course=course, status="completed")


@pytest.fixture
def learner(course):
    learner = UserFactory()
    EnrolmentFactory(user=learner, course=course)
    for module in list(course.get_children().specific())[:5]:
        record_view(learner, module)
    return learner


def get_twice(client, url):
    client.get(url)
    return url


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.django_db
def test_course_and_module_pages_do_not_grow_with_data(client, home_page):
    index = CourseIndexPageFactory(parent=home_page)
    small = CoursePageFactory(parent=index)
    ModulePageFactory(parent=small)
    large = CoursePageFactory(parent=index)
    for _number in range(15):
        ModulePageFactory(parent=large)
    for course in (small, large):
        for _number in range(10):
            EnrolmentFactory(user=UserFactory(), course=course)
    learner = UserFactory()
    for course in (small, large):
        EnrolmentFactory(user=learner, course=course)
        record_view(learner, course.get_children().specific().first())
    client.force_login(learner)
    for course in (small, large):
        get_twice(client, course.url)
    assert queries_of(client, large.url) == queries_of(client, small.url)
    small_module, large_module = (course.get_children().specific().first() for course in (small, large))
    for module in (small_module, large_module):
        get_twice(client, module.url)
    assert queries_of(client, large_module.url) == queries_of(client, small_module.url)


@pytest.mark.django_db
class TestCoursePage:
    def test_anonymous(self, client, course, crowd, django_assert_max_num_queries):
        url = get_twice(client, course.url)
        with django_assert_max_num_queries(COURSE_PAGE_MAX):
            response = client.get(url)
        assert response.status_code == 200
        assert course.title in response.text

    def test_enrolled_learner_with_progress(self, client, course, crowd, learner, django_assert_max_num_queries):
        client.force_login(learner)
        url = get_twice(client, course.url)
        with django_assert_max_num_queries(COURSE_PAGE_MAX):
            response = client.get(url)
        assert response.status_code == 200
        assert Enrolment.objects.get(user=learner, course=course).progress_percent > 0

    def test_english_translation(self, client, course, crowd, learner, locales, django_assert_max_num_queries):
        english = course.copy_for_translation(locales["en"], copy_parents=True, alias=True)
        client.force_login(learner)
        url = get_twice(client, english.url)
        with django_assert_max_num_queries(COURSE_PAGE_MAX):
            response = client.get(url)
        assert response.status_code == 200


@pytest.mark.django_db
class TestModulePage:
    def test_anonymous(self, client, course, crowd, django_assert_max_num_queries):
        module = course.get_children().specific().last()
        url = get_twice(client, module.url)
        with django_assert_max_num_queries(MODULE_PAGE_MAX):
            response = client.get(url)
        assert response.status_code == 200

    def test_learner_viewing_records_progress(self, client, course, crowd, learner, django_assert_max_num_queries):
        module = course.get_children().specific()[7]
        # Another reader has opened this module before (the page's route and chrome are cached), this learner not.
        client.get(module.url)
        client.force_login(learner)
        client.get(course.get_children().specific()[6].url)
        with django_assert_max_num_queries(MODULE_PAGE_MAX):
            response = client.get(module.url)
        assert response.status_code == 200
        # The first view is recorded within the budget, and the enrolment recounted: 7 of 12 modules.
        assert ModuleProgress.objects.get(user=learner, module=module).is_completed
        assert Enrolment.objects.get(user=learner, course=course).progress_percent == 58

    def test_learner_coming_back(self, client, course, crowd, learner, django_assert_max_num_queries):
        module = course.get_children().specific().first()
        client.force_login(learner)
        url = get_twice(client, module.url)
        with django_assert_max_num_queries(MODULE_PAGE_MAX):
            response = client.get(url)
        assert response.status_code == 200
