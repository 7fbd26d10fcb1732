import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, NewsIndexPage, NewsPage, StandardPage
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
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
