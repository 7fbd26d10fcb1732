import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils

from community.models import CommunityIndexPage, CommunityPage, ExpertIndexPage, Membership
from home.models import HomePage

from .factories import CommunityPageFactory, TeacherProfileFactory, UserFactory, community_session

pytestmark = pytest.mark.django_db


def join(client, community):
    return client.post(reverse("community:join", args=[community.pk]))


def test_a_teacher_joins_and_leaves(client, community):
    teacher = UserFactory()
    client.force_login(teacher)
    response = join(client, community)
    assert response.status_code == 302
    assert community.is_member(teacher)
    join(client, community)
    assert Membership.objects.filter(user=teacher).count() == 1, "joining twice makes one membership"

    client.post(reverse("community:leave", args=[community.pk]))
    assert not community.is_member(teacher)
    assert Membership.objects.count() == 0


def test_joining_needs_a_signed_in_post(client, community):
    assert client.post(reverse("community:join", args=[community.pk])).status_code == 302
    assert Membership.objects.count() == 0, "anonymous visitors are sent to log in, nothing is recorded"
    client.force_login(UserFactory())
    assert client.get(reverse("community:join", args=[community.pk])).status_code == 405
    assert Membership.objects.count() == 0


def test_joining_a_draft_community_is_refused(client, community_index):
    draft = CommunityPageFactory(parent=community_index, live=False)
    client.force_login(UserFactory())
    assert join(client, draft).status_code == 404
    assert Membership.objects.count() == 0


def test_members_see_the_member_list_and_others_only_the_count(client, community):
    member = TeacherProfileFactory(name_zh="陳美玲").user
    other_member = TeacherProfileFactory(name_zh="張志豪").user
    community.join(member)
    community.join(other_member)

    anonymous = client.get(community.url)
    assert anonymous.status_code == 200
    assert "2" in anonymous.content.decode()
    assert "陳美玲" not in anonymous.content.decode()

    client.force_login(UserFactory())
    outsider = client.get(community.url).content.decode()
    assert "陳美玲" not in outsider and "張志豪" not in outsider
    assert "member-list" not in outsider

    client.force_login(member)
    inside = client.get(community.url).content.decode()
    assert "陳美玲" in inside and "張志豪" in inside


def test_membership_is_shared_by_both_languages(client, community, english_community):
    teacher = UserFactory()
    client.force_login(teacher)
    join(client, english_community)
    assert Membership.objects.get(user=teacher).community_id == community.pk
    assert community.is_member(teacher) and english_community.is_member(teacher)
    session = community_session(community, title="跨文化教學分享")
    session.title_en = "Sharing intercultural teaching"
    session.save()
    assert "Sharing intercultural teaching" in client.get(english_community.url).content.decode()
    client.post(reverse("community:leave", args=[english_community.pk]))
    assert not community.is_member(teacher)


def test_index_filters_and_shows_the_next_session(client, community_index, community):
    other = CommunityPageFactory(
        parent=community_index,
        title="花蓮國小姊妹校社群",
        region="hualien_county",
        school_level="elementary",
        focus_area="sister_school",
    )
    community_session(other, days_from_now=30, title="遠的聚會")
    community_session(other, days_from_now=3, title="近的聚會")
    community_session(other, days_from_now=-3, title="過去的聚會")

    everything = client.get(community_index.url).content.decode()
    assert community.title in everything and other.title in everything
    assert "近的聚會" in everything and "遠的聚會" not in everything and "過去的聚會" not in everything

    for query in ["region=hualien_county", "level=elementary", "focus=sister_school"]:
        page = client.get(f"{community_index.url}?{query}").content.decode()
        assert other.title in page, query
        assert community.title not in page, query
    page = client.get(f"{community_index.url}?region=hualien_county&level=senior_high").content.decode()
    assert other.title not in page and community.title not in page
    assert client.get(f"{community_index.url}?region=atlantis").status_code == 200


def test_index_query_count_does_not_grow_with_communities(client, community_index):
    """Publishing a community starts a new generation of the site's cached menus, routes and pages, so the first
    request after it is cold and the next one warm: neither may grow with the number of communities."""

    def add_communities(count):
        for _ in range(count):
            community_session(CommunityPageFactory(parent=community_index))

    def cold_and_warm():
        with CaptureQueriesContext(connection) as cold:
            response = client.get(community_index.url)
        with CaptureQueriesContext(connection) as warm:
            assert client.get(community_index.url).content == response.content
        return response, len(cold), len(warm)

    add_communities(1)
    client.get(community_index.url)  # the first visit ever creates the site's settings rows
    add_communities(1)
    response, cold_two, warm_two = cold_and_warm()
    assert len(response.context["communities"]) == 2
    add_communities(6)
    response, cold_eight, warm_eight = cold_and_warm()
    assert len(response.context["communities"]) == 8
    assert cold_eight == cold_two, "next sessions are fetched for all communities at once"
    assert warm_eight == warm_two <= cold_two


class TestPageTree(WagtailTestUtils):
    @pytest.fixture(autouse=True)
    def _setup(self, db):
        pass

    def test_rules(self):
        self.assertAllowedParentPageTypes(CommunityIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CommunityIndexPage, {CommunityPage})
        self.assertAllowedParentPageTypes(CommunityPage, {CommunityIndexPage})
        self.assertAllowedSubpageTypes(CommunityPage, set())
        self.assertAllowedParentPageTypes(ExpertIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ExpertIndexPage, set())
        assert not CommunityPage.can_create_at(Page.get_first_root_node())

    def assertAllowedParentPageTypes(self, child, parents):  # noqa: N802
        assert set(child.allowed_parent_page_models()) == parents

    def assertAllowedSubpageTypes(self, parent, children):  # noqa: N802
        assert set(parent.allowed_subpage_models()) == children
