import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    ModulePage,
    ModuleProgress,
    WorkshopIndexPage,
    WorkshopPage,
)
from home.models import HomePage, StandardPage
from tests.courses.factories import CoursePageFactory, EnrolmentFactory, ModulePageFactory, UserFactory
from tests.home.factories import StandardPageFactory


class TestPageTree(WagtailPageTestCase):
    def test_course_index_sits_under_the_home_page_only(self):
        self.assertCanCreateAt(HomePage, CourseIndexPage)
        self.assertCanNotCreateAt(Page, CourseIndexPage)
        self.assertCanNotCreateAt(StandardPage, CourseIndexPage)
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_courses_sit_in_the_catalogue_and_hold_modules_and_workshops(self):
        self.assertCanCreateAt(CourseIndexPage, CoursePage)
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertCanNotCreateAt(CoursePage, CoursePage)
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage, WorkshopPage})

    def test_modules_are_leaves_under_a_course(self):
        self.assertCanCreateAt(CoursePage, ModulePage)
        self.assertCanNotCreateAt(CourseIndexPage, ModulePage)
        self.assertCanNotCreateAt(HomePage, ModulePage)
        self.assertAllowedSubpageTypes(ModulePage, {})

    def test_workshops_sit_under_a_course_or_the_workshop_index(self):
        self.assertCanCreateAt(HomePage, WorkshopIndexPage)
        self.assertCanCreateAt(WorkshopIndexPage, WorkshopPage)
        self.assertCanCreateAt(CoursePage, WorkshopPage)
        self.assertCanNotCreateAt(HomePage, WorkshopPage)
        self.assertCanNotCreateAt(ModulePage, WorkshopPage)
        self.assertAllowedSubpageTypes(WorkshopPage, {})


# Queries a course or module page adds to the site's own per-page cost (routing, menu, language links, settings).
COURSE_PAGE_OWN_QUERIES = 6
MODULE_PAGE_OWN_QUERIES = 7


def page_queries(client, url):
    """Queries to render ``url`` once its caches are warm."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def url_of(page, language="zh-hant"):
    home_path = page.get_ancestors().filter(depth=2).first().url_path
    return f"/{language}/{page.url_path[len(home_path) :]}"


@pytest.mark.django_db
class TestCatalogue:
    @pytest.fixture
    def catalogue(self, course_index):
        CoursePageFactory(parent=course_index, title="課程國際化實務", competency_area="curriculum", level="advanced")
        CoursePageFactory(parent=course_index, title="國際交流規劃", competency_area="exchange", level="beginner")
        CoursePageFactory(parent=course_index, title="草稿課程", competency_area="exchange", live=False)
        return course_index

    def test_lists_live_courses_with_badges(self, client, catalogue):
        html = client.get(url_of(catalogue)).content.decode()
        assert "課程國際化實務" in html and "國際交流規劃" in html
        assert "草稿課程" not in html
        assert "Curriculum integration" in html or "課程" in html

    @pytest.mark.parametrize(
        ("query", "shown", "hidden"),
        [
            ("area=curriculum", "課程國際化實務", "國際交流規劃"),
            ("level=beginner", "國際交流規劃", "課程國際化實務"),
            ("q=交流", "國際交流規劃", "課程國際化實務"),
            ("area=exchange&level=advanced", None, "國際交流規劃"),
        ],
    )
    def test_filters_and_search(self, client, catalogue, query, shown, hidden):
        html = client.get(url_of(catalogue) + "?" + query).content.decode()
        if shown:
            assert shown in html
        assert f">{hidden}<" not in html

    def test_unknown_filter_values_are_ignored(self, client, catalogue):
        response = client.get(url_of(catalogue) + "?area=<script>&level=9&page=x")
        assert response.status_code == 200
        assert "<script>" not in response.content.decode()
        assert "國際交流規劃" in response.content.decode()


@pytest.mark.django_db
class TestCoursePage:
    def test_anonymous_sees_modules_and_a_login_link(self, client, course):
        html = client.get(url_of(course)).content.decode()
        assert "第 1 單元" in html and "第 3 單元" in html
        assert "/accounts/login/" in html

    def test_enrolled_teacher_sees_progress_and_next_module(self, client, course, modules, teacher):
        EnrolmentFactory(user=teacher, course=course)
        ModuleProgress.objects.create(
            user=teacher, module=modules[0], course=course, status=ModuleProgress.Status.COMPLETED
        )
        client.force_login(teacher)
        response = client.get(url_of(course))
        assert response.context["next_module"].pk == modules[1].pk
        assert response.context["modules"][0]["progress"].is_completed
        assert f"courses/{course.pk}/unenrol/" in response.content.decode()

    def test_query_count_does_not_grow_with_modules(self, client, course, teacher):
        EnrolmentFactory(user=teacher, course=course)
        client.force_login(teacher)
        before = page_queries(client, url_of(course))
        for number in range(10):
            ModulePageFactory(parent=course, title=f"加開單元 {number}")
        assert page_queries(client, url_of(course)) == before

    def test_queries_over_the_site_baseline(self, client, course, teacher):
        """What the course page adds to what every page of the site costs (menu, language links, routing)."""
        EnrolmentFactory(user=teacher, course=course)
        client.force_login(teacher)
        baseline = page_queries(client, url_of(StandardPageFactory(parent=course.get_parent(), slug="about")))
        assert page_queries(client, url_of(course)) - baseline <= COURSE_PAGE_OWN_QUERIES

    def test_enrolment_window_must_be_ordered(self, course):
        course.enrolment_opens = timezone.now()
        course.enrolment_closes = course.enrolment_opens - datetime.timedelta(days=1)
        with pytest.raises(ValidationError):
            course.full_clean()


@pytest.mark.django_db
class TestModulePage:
    def test_not_enrolled_sees_no_body(self, client, modules, teacher):
        client.force_login(teacher)
        response = client.get(url_of(modules[0]))
        assert response.status_code == 200
        assert response.context["can_view"] is False
        assert "module-body" not in response.content.decode()

    def test_viewing_completes_a_viewed_module(self, client, course, modules, teacher):
        EnrolmentFactory(user=teacher, course=course)
        client.force_login(teacher)
        response = client.get(url_of(modules[1]))
        assert response.context["previous_module"].pk == modules[0].pk
        assert response.context["next_module"].pk == modules[2].pk
        assert ModuleProgress.objects.get(user=teacher, module=modules[1]).is_completed
        assert Enrolment.objects.get(user=teacher).progress_percent == 33

    def test_visibility(self, course, modules, teacher, trainer):
        other = UserFactory()
        staff = UserFactory(is_staff=True)
        staff_without_mfa = UserFactory(is_staff=True)
        TOTP.activate(staff, generate_totp_secret())
        EnrolmentFactory(user=teacher, course=course)
        withdrawn = UserFactory()
        EnrolmentFactory(user=withdrawn, course=course, status=Enrolment.Status.WITHDRAWN)
        module = modules[0]
        assert module.is_visible_to(teacher)
        assert module.is_visible_to(trainer)
        assert module.is_visible_to(staff)
        assert not module.is_visible_to(staff_without_mfa)
        assert not module.is_visible_to(other)
        assert not module.is_visible_to(withdrawn)

    def test_queries_over_the_site_baseline(self, client, course, modules, teacher):
        EnrolmentFactory(user=teacher, course=course)
        client.force_login(teacher)
        client.get(url_of(modules[0]))
        baseline = page_queries(client, url_of(StandardPageFactory(parent=course, slug="notes")))
        assert page_queries(client, url_of(modules[1])) - baseline <= MODULE_PAGE_OWN_QUERIES


@pytest.mark.django_db
def test_reading_in_english_records_progress_on_the_course(client, course, modules, teacher, locales):
    """Progress is one, whichever language the teacher reads in."""
    english_course = course.copy_for_translation(locales["en"], copy_parents=True, alias=False)
    english_course.save_revision().publish()
    english_module = modules[0].copy_for_translation(locales["en"], alias=False)
    english_module.save_revision().publish()
    EnrolmentFactory(user=teacher, course=course)
    client.force_login(teacher)

    response = client.get(url_of(english_module, "en"))
    assert response.status_code == 200 and response.context["can_view"]
    assert ModuleProgress.objects.get(user=teacher).module_id == modules[0].pk
    course_response = client.get(url_of(english_course, "en"))
    assert course_response.context["is_enrolled"]
    assert course_response.context["modules"][0]["progress"].is_completed
