import re

import pytest

from home.demo import ensure_page, home_pages
from home.models import NewsIndexPage, StandardPage


def language_links(html):
    nav = re.search(r'<nav class="lang-switch".*?</nav>', html, re.S).group(0)
    return dict(re.findall(r'href="([^"]*)"[^>]*hreflang="([^"]+)"', nav)[i][::-1] for i in range(2))


@pytest.fixture
def site(locales):
    homes = home_pages()
    news = ensure_page(homes, NewsIndexPage, "news", {"zh-hant": {"title": "最新消息"}, "en": {"title": "News"}})
    return homes, news


@pytest.mark.django_db
def test_on_a_translated_page_the_switcher_links_to_its_translation(client, site):
    _homes, news = site
    response = client.get("/zh-hant/news/")
    assert response.status_code == 200
    links = language_links(response.content.decode())
    assert links == {"zh-hant": "/zh-hant/news/", "en": "/en/news/"}

    response = client.get(links["en"])
    assert response.status_code == 200
    assert "<h1>News</h1>" in response.content.decode()
    assert '<html lang="en">' in response.content.decode()
    assert language_links(response.content.decode())["zh-hant"] == "/zh-hant/news/"


@pytest.mark.django_db
def test_a_page_without_translation_links_to_the_nearest_translated_ancestor(client, site):
    homes, news = site
    untranslated = StandardPage(title="只有中文", slug="zh-only", locale=homes["zh-hant"].locale)
    news["zh-hant"].add_child(instance=untranslated)
    response = client.get("/zh-hant/news/zh-only/")
    assert response.status_code == 200
    assert language_links(response.content.decode())["en"] == "/en/news/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, english",
    [
        ("/zh-hant/accounts/login/", "/en/accounts/login/"),
        (
            "/zh-hant/accounts/login/?next=/zh-hant/accounts/profile/",
            "/en/accounts/login/?next=/zh-hant/accounts/profile/",
        ),
        ("/zh-hant/accounts/signup/", "/en/accounts/signup/"),
    ],
)
def test_on_any_other_view_the_switcher_keeps_the_path(client, site, path, english):
    response = client.get(path)
    assert response.status_code == 200
    links = language_links(response.content.decode())
    assert links["en"].replace("&amp;", "&").replace("%2F", "/") == english
    assert links["zh-hant"].replace("%2F", "/") == path
    assert 'aria-current="true"' in response.content.decode()


@pytest.mark.django_db
def test_pages_are_served_in_the_language_of_their_prefix(client, site):
    assert '<html lang="zh-Hant-TW">' in client.get("/zh-hant/").content.decode()
    english = client.get("/en/").content.decode()
    assert '<html lang="en">' in english
    assert "Skip to main content" in english
    # Without a prefix, the visitor is sent to one.
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] in {"/zh-hant/", "/en/"}
