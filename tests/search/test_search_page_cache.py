"""The search page kept whole below the chrome: shared by every reader, holding nothing of any of them, retired by
any change of the index, and a repeated search's cost (queries and cache reads) bounded."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import override

from notifications.models import Notification
from resources.choices import Status
from search.indexing import GENERATION_KEY, rebuild
from search.views import _page_key
from tests.home.factories import StandardPageFactory
from tests.resources.factories import ResourceFactory, TeacherFactory

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _search_url(language):
    with override(language):
        return reverse("search:results")


def _kept(response, language):
    """What the cache keeps for the address ``response`` answered: (generation, query, page) or None."""
    return cache.get(_page_key(response.wsgi_request, language))


@pytest.fixture
def two_teachers(db):
    first, second = TeacherFactory(), TeacherFactory()
    Notification.objects.create(recipient=first, kind="info", event="resource_accepted", in_app=True)
    return first, second


@pytest.mark.django_db
class TestSharedSearchPage:
    def test_one_rendering_serves_two_teachers_and_holds_neither(self, client, home_page, two_teachers):
        first, second = two_teachers
        ResourceFactory(title="姊妹校交流教案", status=Status.ACCEPTED, author=first)
        rebuild()
        client.force_login(first)
        response = client.get(_search_url("zh-hant"), {"q": "姊妹校"})
        first_page = response.content.decode()
        _generation, query, search_page = _kept(response, "zh-hant")
        assert query == "姊妹校" and "<mark>姊妹校</mark>交流教案" in search_page
        # Nothing of the reader: no CSRF token, no bell, no account links, not their e-mail.
        assert "csrfmiddlewaretoken" not in search_page and "bell-count" not in search_page
        assert first.email not in search_page and reverse("account_logout") not in search_page

        client.logout()
        client.force_login(second)
        response = client.get(_search_url("zh-hant"), {"q": "姊妹校"})
        second_page = response.content.decode()
        assert _kept(response, "zh-hant")[2] is not search_page and _kept(response, "zh-hant")[2] == search_page
        assert search_page in first_page and search_page in second_page
        # Each reader's chrome is their own: their CSRF token, their unread count.
        assert CSRF_INPUT.search(first_page).group(1) != CSRF_INPUT.search(second_page).group(1)
        assert 'data-unread="1"' in first_page and "data-unread" not in second_page

    def test_each_language_and_address_is_kept_apart(self, client, home_page, two_teachers):
        ResourceFactory(title="Sister school lesson plan", status=Status.ACCEPTED)
        rebuild()
        client.force_login(two_teachers[0])
        responses = [
            client.get(_search_url("en"), {"q": "sister school"}),
            client.get(_search_url("zh-hant"), {"q": "sister school"}),
            client.get(_search_url("en"), {"q": "sister school", "kind": "course"}),
        ]
        english, chinese, filtered = (
            _kept(response, language)[2] for response, language in zip(responses, ["en", "zh-hant", "en"], strict=True)
        )
        assert "Search the site" in english and "搜尋本站" in chinese and "Search the site" not in chinese
        assert "<mark>Sister</mark>" in english and "<mark>Sister</mark>" in chinese
        assert "<mark>Sister</mark>" not in filtered  # a resource is not a course

    def test_a_refused_query_or_an_unknown_parameter_is_not_kept(self, client, home_page):
        response = client.get(_search_url("en"), {"q": "x", "kind": "user"})
        assert response.status_code == 400 and _kept(response, "en") is None
        response = client.get(_search_url("en"), {"q": "x", "utm_source": "mail"})
        assert response.status_code == 200 and _page_key(response.wsgi_request, "en") is None
        assert cache.get(_page_key(client.get(_search_url("en"), {"q": "x"}).wsgi_request, "en")) is not None

    def test_accepting_editing_and_withdrawing_a_resource_retire_the_kept_page(
        self, client, home_page, django_capture_on_commit_callbacks
    ):
        url = _search_url("zh-hant")
        resource = ResourceFactory(title="跨文化溝通教案", status=Status.SUBMITTED)
        assert "溝通</mark>" not in client.get(url, {"q": "溝通"}).content.decode()
        resource.status = Status.ACCEPTED
        with django_capture_on_commit_callbacks(execute=True):
            resource.save()
        assert "<mark>溝通</mark>教案" in client.get(url, {"q": "溝通"}).content.decode()
        resource.title = "跨文化溝通學習單"
        with django_capture_on_commit_callbacks(execute=True):
            resource.save()
        body = client.get(url, {"q": "溝通"}).content.decode()
        assert "<mark>溝通</mark>學習單" in body and "<mark>溝通</mark>教案" not in body
        with django_capture_on_commit_callbacks(execute=True):
            resource.delete()
        assert "溝通</mark>" not in client.get(url, {"q": "溝通"}).content.decode()

    def test_a_page_kept_under_an_older_generation_is_not_served(self, client, home_page):
        url = _search_url("zh-hant")
        StandardPageFactory(parent=home_page, title="國際教育週")
        rebuild()
        client.get(url, {"q": "教育週"})
        # Another process changed the index (its generation moved) without this one knowing.
        cache.incr(GENERATION_KEY)
        key = _page_key(client.get(url, {"q": "教育週"}).wsgi_request, "zh-hant")
        assert cache.get(key)[0] == cache.get(GENERATION_KEY)

    def test_an_evicted_generation_never_brings_back_an_older_page(self, client, home_page):
        url = _search_url("zh-hant")
        StandardPageFactory(parent=home_page, title="國際教育週")
        rebuild()
        request = client.get(url, {"q": "教育週"}).wsgi_request
        kept = cache.get(_page_key(request, "zh-hant"))
        cache.delete(GENERATION_KEY)
        client.get(url, {"q": "教育週"})
        assert cache.get(GENERATION_KEY) not in (None, kept[0])
        assert cache.get(_page_key(request, "zh-hant"))[0] == cache.get(GENERATION_KEY)


@pytest.mark.django_db
def test_a_repeated_search_costs_one_query_and_few_cache_reads(
    client, home_page, two_teachers, django_assert_max_num_queries, monkeypatch
):
    for number in range(30):
        StandardPageFactory(parent=home_page, title=f"國際教育 {number}")
    rebuild()
    client.force_login(two_teachers[0])
    url = _search_url("zh-hant")
    client.get(url, {"q": "國際教育", "page": "2"})
    reads = []
    for name in ("get", "get_many"):
        monkeypatch.setattr(cache, name, _counted(getattr(cache, name), reads))
    with django_assert_max_num_queries(1):  # the reader's account; the results are kept
        response = client.get(url, {"q": "國際教育", "page": "2"})
    body = response.content.decode()
    assert response.status_code == 200 and 'start="21"' in body and body.count("<mark>國際教育</mark>") >= 10
    # The session; the account checks and chrome generations (one read); the search generation and page (one);
    # the site with its settings and its menu (one). It was twelve.
    assert len(reads) == 4, reads


def _counted(method, reads, inside=[]):  # noqa: B006 (shared on purpose: the reads under way)
    """``method``, each call appended to ``reads``: one round trip to Redis (the test cache's ``get_many`` calls
    its ``get`` for each key; those are not counted)."""

    def read(*args, **kwargs):
        if not inside:
            reads.append(args[0])
        inside.append(True)
        try:
            return method(*args, **kwargs)
        finally:
            inside.pop()

    return read
