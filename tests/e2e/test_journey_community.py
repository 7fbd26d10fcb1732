"""Journey 6: a teacher joins a community network, then finds an expert by searching the directory in Chinese."""

import io

import pytest

from accounts.demo import DEMO_ACCOUNTS, TEACHER_EMAIL
from community import demo as community_demo
from community.models import CommunityPage, Expert
from tests.e2e.steps import field, sign_in, text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEACHER_PASSWORD = next(spec["password"] for spec in DEMO_ACCOUNTS if spec["email"] == TEACHER_EMAIL)


@pytest.fixture
def communities(demo_site):
    community_demo.load(io.StringIO())


def test_join_a_community_and_find_an_expert_in_chinese(page, communities):
    sign_in(page, TEACHER_EMAIL, TEACHER_PASSWORD)
    main_nav = page.get_by_role("navigation", name=text("Main"))

    main_nav.get_by_role("link", name=community_demo.COMMUNITY_INDEX_FIELDS["zh-hant"]["title"]).click()
    title_zh, _description, _pattern = community_demo.COMMUNITIES[1][4]
    community = CommunityPage.objects.get(title=title_zh)
    assert not community.memberships.filter(user__email=TEACHER_EMAIL).exists()
    page.get_by_role("link", name=title_zh).click()
    page.get_by_role("heading", level=1, name=title_zh).wait_for()

    page.get_by_role("button", name=text("Join this community")).click()
    page.get_by_role("status").filter(has_text=title_zh).wait_for()
    page.get_by_role("button", name=text("Leave this community")).wait_for()
    assert community.memberships.filter(user__email=TEACHER_EMAIL).count() == 1
    # Joining twice (a second tab, a double click) keeps one membership.
    page.request.post(
        f"/zh-hant/community/{community.pk}/join/",
        headers={"X-CSRFToken": page.locator("input[name=csrfmiddlewaretoken]").first.input_value()},
    )
    assert community.memberships.filter(user__email=TEACHER_EMAIL).count() == 1

    main_nav.get_by_role("link", name=community_demo.EXPERT_INDEX_FIELDS["zh-hant"]["title"]).click()
    # The directory's own search landmark: the header's site search is a search landmark on every page too.
    directory_search = page.get_by_role("search", name=text("Search the expert directory"), exact=True)
    field(directory_search, text("Search")).fill("海外研習")
    directory_search.get_by_role("button", name=text("Search"), exact=True).click()
    page.wait_for_url("**q=*")
    results = page.locator(".expert-list > li")
    names = results.get_by_role("heading").all_inner_texts()
    expected = Expert.objects.get(name_en="Chih-Ming Huang")
    assert expected.name_zh in names
    assert "林慧君" not in names
    results.get_by_role("link", name=expected.name_zh).click()
    page.get_by_role("heading", level=1, name=expected.name_zh).wait_for()
    assert expected.organisation_zh in page.locator("main").inner_text()

    # A search nobody matches says so instead of showing an empty page.
    page.go_back()
    directory_search = page.get_by_role("search", name=text("Search the expert directory"), exact=True)
    field(directory_search, text("Search")).fill("量子糾纏")
    directory_search.get_by_role("button", name=text("Search"), exact=True).click()
    page.get_by_text(text("No expert matches your search.")).wait_for()
    assert page.locator(".expert-list .card").count() == 0
