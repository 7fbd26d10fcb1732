import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.home.factories import StandardPageFactory


def menu_titles(client, url="/zh-hant/"):
    html = client.get(url).content.decode()
    nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    return nav


@pytest.mark.django_db
def test_the_menu_is_cached_and_follows_publishing(client, home_page):
    about = StandardPageFactory(parent=home_page, title="關於認證", show_in_menus=True)
    assert "關於認證" in menu_titles(client)

    with CaptureQueriesContext(connection) as warm:
        client.get("/zh-hant/")
    menu_queries = [q for q in warm.captured_queries if '"show_in_menus"' in q["sql"].partition("WHERE")[2]]
    assert menu_queries == []

    about.title = "認證介紹"
    about.save_revision().publish()
    assert "認證介紹" in menu_titles(client)

    about.unpublish()
    assert "認證介紹" not in menu_titles(client)


@pytest.mark.django_db
def test_the_menu_marks_the_current_page(client, home_page):
    about = StandardPageFactory(parent=home_page, title="關於認證", slug="about", show_in_menus=True)
    nav = menu_titles(client, "/zh-hant/about/")
    assert f'href="{about.url}" aria-current="page"' in nav


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "words"), [("zh-hant", "教學資源"), ("en", "Teaching resources")])
def test_the_teaching_resources_are_in_the_menu_in_both_languages(client, home_page, language, words):
    nav = menu_titles(client, f"/{language}/")
    assert f'<a href="/{language}/resources/">{words}</a>' in nav
    # On the exchange's own list the link says it is the current page.
    nav = menu_titles(client, f"/{language}/resources/")
    assert f'<a href="/{language}/resources/" aria-current="page">{words}</a>' in nav
    assert client.get(f"/{language}/resources/").status_code == 200
