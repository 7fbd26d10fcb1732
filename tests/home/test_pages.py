import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.models import Locale, Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, NewsIndexPage, NewsPage, StandardPage
from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory
from tests.home.factories import NewsIndexPageFactory, NewsPageFactory, StandardPageFactory


class TestPageTree(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_only(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(StandardPage, HomePage)
        self.assertCanNotCreateAt(NewsIndexPage, HomePage)

    def test_news_lives_under_the_news_index_only(self):
        self.assertCanCreateAt(HomePage, NewsIndexPage)
        self.assertCanCreateAt(NewsIndexPage, NewsPage)
        self.assertCanNotCreateAt(HomePage, NewsPage)
        self.assertCanNotCreateAt(StandardPage, NewsPage)
        self.assertAllowedSubpageTypes(NewsPage, {})

    def test_standard_pages_nest_under_the_home_page_and_each_other(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(StandardPage, NewsIndexPage)
        self.assertCanNotCreateAt(NewsIndexPage, StandardPage)
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})
        self.assertAllowedParentPageTypes(HomePage, {Page})


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_home_and_news_render(client, home_page, language):
    news_index = NewsIndexPageFactory(parent=home_page)
    news = NewsPageFactory(parent=news_index, title="初階認證課程開放報名")
    StandardPageFactory(parent=home_page, title="常見問題", show_in_menus=True)

    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert "初階認證課程開放報名" in response.content.decode()
    assert 'href="#main"' in response.content.decode()

    response = client.get(f"/{language}{news.url_path[len(home_page.url_path) - 1 :]}")
    assert response.status_code == 200
    assert "<h1>初階認證課程開放報名</h1>" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.filterwarnings("error:Plural value must be an integer")
def test_featured_course_hours_keep_their_decimals_and_choose_the_plural_on_a_whole_number(client, home_page):
    catalogue = CourseIndexPageFactory(parent=home_page)
    for title, hours in (("One", "1.0"), ("One and a half", "1.5"), ("Six", "6.0")):
        CoursePageFactory(parent=catalogue, title=title, study_hours=Decimal(hours))

    featured = client.get("/en/").content.decode()

    # A Decimal plural value would raise here (Django deprecates it).
    assert "Beginner · 1.5 hours" in featured
    assert "Beginner · 1 hour<" in featured
    assert "Beginner · 6 hours" in featured
    assert "6.0" not in featured


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


@pytest.mark.django_db
def test_the_home_page_features_the_newest_three_live_courses_of_its_language_through_the_courses_hook(home_page):
    catalogue = CourseIndexPageFactory(parent=home_page)
    published = timezone.now() - datetime.timedelta(days=10)
    older = [
        CoursePageFactory(
            parent=catalogue, title=f"Course {number}", first_published_at=published + datetime.timedelta(days=number)
        )
        for number in range(4)
    ]
    draft = CoursePageFactory(parent=catalogue, title="Draft", live=False)
    english_home = home_page.copy_for_translation(Locale.objects.get(language_code="en"))
    english_catalogue = CourseIndexPageFactory(parent=english_home)
    english = CoursePageFactory(parent=english_catalogue, title="In English")

    featured = home_page.featured_courses()

    assert [course.title for course in featured] == ["Course 3", "Course 2", "Course 1"]
    assert draft not in featured and english not in featured and older[0] not in featured
    assert [course.title for course in english_home.featured_courses()] == ["In English"]
