"""The site search: Chinese and English terms, what it may show, ranking, highlighting, hostile queries."""

import io

import pytest
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from wagtail.models import PageViewRestriction

from resources.choices import Status
from search import query as search_query
from search.analysis import fold, highlight, query_terms, terms
from search.indexing import rebuild
from search.models import Posting, SearchDocument, Term
from search.query import search
from tests.home.factories import NewsIndexPageFactory, NewsPageFactory, StandardPageFactory
from tests.resources.factories import ResourceFactory


class TestAnalysis:
    def test_chinese_is_cut_into_overlapping_pairs(self):
        assert terms("國際教育") == ["國際", "際教", "教育"]
        assert terms("學") == ["學"]

    def test_variants_and_widths_fold_to_one_form(self):
        assert fold("台灣") == fold("臺灣") == "臺灣"
        assert terms("ＩＥ　Ａｃａｄｅｍｙ２０２６") == terms("ie academy2026") == ["ie", "academy2026"]

    def test_english_words_lose_a_plural_s(self):
        assert terms("Sister Schools") == ["sister", "school"]
        assert terms("class") == ["class"]

    def test_a_query_asks_each_term_once_and_never_too_many(self):
        assert query_terms("國際 國際 exchange exchange") == ["國際", "exchange"]
        assert len(query_terms(" ".join(f"word{n}" for n in range(500)))) == 32

    def test_highlight_marks_matches_and_escapes_the_rest(self):
        assert (
            highlight("臺灣的<b>國際教育</b>", query_terms("台灣")) == "<mark>臺灣</mark>的&lt;b&gt;國際教育&lt;/b&gt;"
        )
        assert highlight("Sister School", query_terms("sister")) == "<mark>Sister</mark> School"
        assert highlight("<script>alert(1)</script>", query_terms("script")) == (
            "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"
        )


@pytest.mark.django_db
class TestWhatSearchShows:
    def test_taiwan_written_either_way_finds_the_other(self, home_page):
        StandardPageFactory(parent=home_page, title="臺灣的國際教育政策", introduction="白皮書")
        StandardPageFactory(parent=home_page, title="教學資源", introduction="教案")
        rebuild()
        found = search("台灣", "zh-hant")
        assert [hit.document.title for hit in found.hits] == ["臺灣的國際教育政策"]
        assert "<mark>臺灣</mark>" in found.hits[0].title

    def test_title_matches_rank_above_body_matches(self, home_page):
        StandardPageFactory(parent=home_page, title="研習公告", introduction="本次研習談姊妹校交流")
        StandardPageFactory(parent=home_page, title="姊妹校交流手冊", introduction="手冊")
        rebuild()
        assert [hit.document.title for hit in search("姊妹校", "zh-hant").hits] == ["姊妹校交流手冊", "研習公告"]

    def test_every_word_must_match(self, home_page):
        StandardPageFactory(parent=home_page, title="Sister school visits", introduction="")
        StandardPageFactory(parent=home_page, title="School leadership", introduction="")
        rebuild()
        assert search("sister schools", "zh-hant").total == 1

    def test_unpublished_restricted_and_unaccepted_are_not_found(self, home_page):
        StandardPageFactory(parent=home_page, title="草稿頁面", live=False)
        private = StandardPageFactory(parent=home_page, title="私密社群頁面")
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        ResourceFactory(title="審查中的教案", status=Status.SUBMITTED)
        ResourceFactory(title="已接受的教案", status=Status.ACCEPTED)
        rebuild()
        assert search("草稿", "zh-hant").total == 0
        assert search("私密", "zh-hant").total == 0
        assert search("審查中", "zh-hant").total == 0
        assert [hit.document.title for hit in search("教案", "zh-hant").hits] == ["已接受的教案"]

    def test_the_index_follows_publishing_and_review(self, home_page, django_capture_on_commit_callbacks):
        index = NewsIndexPageFactory(parent=home_page)
        news = NewsPageFactory(parent=index, title="新學期國際教育研習", live=False)
        with django_capture_on_commit_callbacks(execute=True):
            news.save_revision().publish()
        assert search("新學期", "zh-hant").total == 1
        news.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            news.unpublish()
        assert search("新學期", "zh-hant").total == 0

        resource = ResourceFactory(title="多元文化學習單", status=Status.SUBMITTED)
        assert search("學習單", "en").total == 0
        resource.status = Status.ACCEPTED
        with django_capture_on_commit_callbacks(execute=True):
            resource.save()
        # A resource is found from either language's search.
        assert search("學習單", "en").total == search("學習單", "zh-hant").total == 1
        resource.status = Status.DECLINED
        with django_capture_on_commit_callbacks(execute=True):
            resource.save()
        assert search("學習單", "zh-hant").total == 0

    def test_resource_facets_filter(self, db):
        ResourceFactory(title="國小文化教案", school_level="elementary", status=Status.ACCEPTED)
        ResourceFactory(title="國中文化教案", school_level="junior_high", status=Status.ACCEPTED)
        rebuild()
        found = search("文化教案", "zh-hant", facets={"school_level": "elementary"})
        assert [hit.document.title for hit in found.hits] == ["國小文化教案"]
        # An unknown facet name is ignored, not passed to the database.
        assert search("文化教案", "zh-hant", facets={"author__password": "x"}).total == 2

    def test_nothing_found_suggests_a_correction(self, home_page):
        StandardPageFactory(parent=home_page, title="Sister school exchanges", introduction="")
        rebuild()
        found = search("sistr scool", "zh-hant")
        assert found.total == 0 and found.suggestion == "sister school"


@pytest.mark.django_db
class TestSearchPage:
    def test_results_page_shows_marked_results(self, client, home_page):
        StandardPageFactory(parent=home_page, title="姊妹校交流手冊")
        rebuild()
        response = client.get(reverse("search:results"), {"q": "姊妹校"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "<mark>姊妹校</mark>交流手冊" in body and 'role="search"' in body

    @pytest.mark.parametrize(
        "query",
        ["<script>alert(1)</script>", "' OR 1=1 --", "%_\\", "!!!", "　", "台" * 200, "\x00"],
    )
    def test_hostile_queries_are_answered_safely(self, client, home_page, query):
        StandardPageFactory(parent=home_page, title="國際教育")
        rebuild()
        response = client.get(reverse("search:results"), {"q": query})
        assert response.status_code in (200, 400)
        assert "<script>alert(1)</script>" not in response.content.decode()

    def test_too_long_or_unknown_choices_are_refused_clearly(self, client, home_page):
        response = client.get(reverse("search:results"), {"q": "x" * 201})
        assert response.status_code == 400 and 'role="alert"' in response.content.decode()
        response = client.get(reverse("search:results"), {"q": "x", "kind": "user"})
        assert response.status_code == 400

    def test_query_count_is_bounded(self, client, home_page, django_assert_max_num_queries):
        for number in range(30):
            StandardPageFactory(parent=home_page, title=f"國際教育 {number}")
        rebuild()
        client.get(reverse("search:results"), {"q": "國際教育"})
        with django_assert_max_num_queries(6):
            response = client.get(reverse("search:results"), {"q": "國際教育", "page": "2"})
        assert response.status_code == 200 and "國際教育" in response.content.decode()


def _recounted():
    return {
        row["term"]: row["n"]
        for row in Posting.objects.order_by().values("term").annotate(n=models.Count("document", distinct=True))
    }


@pytest.mark.django_db
class TestBoundedWork:
    """What keeps a query's cost independent of the index's size: the term table, the candidate window, the cache."""

    def test_the_term_table_follows_every_change(self, home_page, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            first = ResourceFactory(title="姊妹校交流教案", summary="交流", status=Status.ACCEPTED)
            ResourceFactory(title="姊妹校視訊", summary="視訊", status=Status.ACCEPTED)
        assert Term.objects.get(term="姊妹").documents == 2
        assert dict(Term.objects.values_list("term", "documents")) == _recounted()
        first.title = "全球公民教案"
        with django_capture_on_commit_callbacks(execute=True):
            first.save()
        assert Term.objects.get(term="姊妹").documents == 1
        assert dict(Term.objects.values_list("term", "documents")) == _recounted()
        with django_capture_on_commit_callbacks(execute=True):
            first.delete()
        assert not Term.objects.filter(term="全球").exists()  # no document holds it any more
        assert dict(Term.objects.values_list("term", "documents")) == _recounted()
        rebuild()
        assert dict(Term.objects.values_list("term", "documents")) == _recounted()

    def test_a_common_term_is_read_only_as_far_as_the_window(self, db, monkeypatch):
        monkeypatch.setattr(search_query, "WINDOW", 3)
        monkeypatch.setattr(search_query, "CANDIDATES", 3)
        monkeypatch.setattr(search_query, "SCAN_FACTOR", 2)
        for number in range(6):
            ResourceFactory(title=f"教案 {number}", summary="國小", status=Status.ACCEPTED)
        ResourceFactory(title="學習單", summary="教案", status=Status.ACCEPTED)
        rebuild()
        found = search("教案", "zh-hant")
        assert found.total == 3 and found.more
        assert all(hit.document.title.startswith("教案") for hit in found.hits)  # the title matches are the window
        # The rarest term leads: 學習 is held by one document, so its postings alone are read, and it is found.
        found = search("教案 學習單", "zh-hant")
        assert [hit.document.title for hit in found.hits] == ["學習單"] and not found.more

    def test_queries_do_not_grow_with_the_index(
        self, home_page, django_assert_num_queries, django_assert_max_num_queries, settings
    ):
        settings.SEARCH_RESULTS_CACHE_SECONDS = 0
        for number in range(40):
            ResourceFactory(title=f"姊妹校交流 {number}", summary="交流活動", status=Status.ACCEPTED)
        rebuild()
        with django_assert_num_queries(2):  # the ranked ids (term table included), the page's documents
            assert search("姊妹校 交流", "zh-hant").total == 40
        # A word nothing holds: the term table says so, and a correction reads the term table and a few titles.
        with django_assert_max_num_queries(3):
            assert search("量子力學", "zh-hant").total == 0

    def test_a_cached_list_is_reused_until_the_index_changes(
        self, db, django_assert_num_queries, django_capture_on_commit_callbacks
    ):
        ResourceFactory(title="跨文化溝通教案", status=Status.ACCEPTED)
        rebuild()
        assert search("跨文化", "zh-hant").total == 1
        with django_assert_num_queries(1):  # only the page's documents
            assert search("跨文化", "zh-hant").total == 1
        with django_capture_on_commit_callbacks(execute=True):
            ResourceFactory(title="跨文化學習單", status=Status.ACCEPTED)
        assert search("跨文化", "zh-hant").total == 2


@pytest.mark.django_db
def test_relevance_on_the_demo_content():
    """Queries people type, with what must come first (or within the first three), on the demo site."""
    call_command("load_demo", stdout=io.StringIO())
    assert SearchDocument.objects.exists()
    expectations = [
        ("國際教育", "zh-hant", "國際教育基礎概論", 1),
        ("international education", "en", "Foundations of international education", 1),
        ("國際交流", "zh-hant", "學校國際交流計畫實務", 1),
        ("exchange", "en", "Planning international exchange", 1),
        ("sister school", "en", "Planning international exchange", 3),
        ("姊妹校", "zh-hant", "花蓮縣國小姊妹校交流社群", 1),
        ("professional growth", "en", "Teacher professional growth", 1),
    ]
    for query, language, title, within in expectations:
        titles = [hit.document.title for hit in search(query, language).hits]
        assert title in titles[:within], (query, titles[:5])
