"""Issue 17: a signed-in learner's own pages, kept whole per learner (``courses.learner_pages``).

Query budgets of the module page (playing the real H5P.MultiChoice), the course page, the dashboard, a community
page, the expert directory and the xAPI intake, counted on a request after the first, as a running server sees
them. And the copies are the learner's own: two learners never see each other's, a second browser of the same
learner gets its own CSRF token, and every change a page shows reaches it at once.
"""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files import File
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from community.models import Membership
from courses.enrolment import unenrol
from courses.h5p.player import ACTIVITY_PATH
from courses.learner_pages import learner_page_key
from courses.models import ContentUserData, H5PPackage, ModuleProgress, XAPIStatement
from tests.community.factories import (
    CommunityIndexPageFactory,
    CommunityPageFactory,
    ExpertFactory,
    ExpertIndexPageFactory,
    community_session,
)
from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, EnrolmentFactory, UserFactory
from tests.courses.h5p_packages import REAL_PACKAGES_DIR
from tests.courses.test_xapi import module_with

MULTICHOICE = REAL_PACKAGES_DIR / "H5P.MultiChoice.h5p"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not MULTICHOICE.exists(), reason=f"the real H5P packages are not at {REAL_PACKAGES_DIR}"),
]

# A learner's page from their copy: the session's user, and the page itself for Wagtail's routing.
MODULE_PAGE_MAX = 2
COURSE_PAGE_MAX = 2
DASHBOARD_MAX = 1
# A community page: the session's user only; the reader's copy is answered by the routing before the page is read.
COMMUNITY_PAGE_MAX = 1
DIRECTORY_MAX = 6
# The user, then in one transaction: the learner's progress locked (so that two statements cannot take one
# attempt number), the current attempt read, the attempt opened and closed in one INSERT, the statement. The
# module's progress is re-derived after the commit only when the attempt may prove more than it shows: an answer
# after the module was passed reads nothing more. In a test the transaction is a savepoint, two statements Django
# counts (5 and the COMMIT on a server).
XAPI_MAX = 7


@pytest.fixture
def multichoice(db):
    with MULTICHOICE.open("rb") as upload:
        return H5PPackage.from_upload(File(upload, name=MULTICHOICE.name))


@pytest.fixture
def course(home_page):
    return CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page))


@pytest.fixture
def module(course, multichoice):
    return module_with(course, multichoice, pass_mark=100)


def enrolled(course, name):
    learner = UserFactory(first_name=name, last_name="")
    EnrolmentFactory(user=learner, course=course)
    return learner


@pytest.fixture
def ada(course):
    return enrolled(course, "Ada")


@pytest.fixture
def bea(course):
    return enrolled(course, "Bea")


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def answered(client, module, package, raw):
    statement = {
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": f"http://testserver{ACTIVITY_PATH}{package.content_hash}"},
        "context": {"contextActivities": {"category": [{"id": "http://h5p.org/libraries/H5P.MultiChoice-1.14"}]}},
        "result": {"score": {"min": 0, "raw": raw, "max": 1}, "completion": True, "response": "0" if raw else "1"},
    }
    body = {"module_id": module.pk, "package_id": package.pk, "statement": statement}
    return client.post(reverse("courses:xapi"), json.dumps(body), content_type="application/json")


def warm(client, url):
    """A first view may record the learner's visit (which retires their copies), the next renders and keeps the
    page: what comes after is what a learner coming back costs."""
    for _view in range(2):
        assert client.get(url).status_code == 200
    return url


def community_read_by(home_page, member, other, warmed=None):
    """A community ``member`` belongs to and ``other`` does not, and a browser of each, whose copies of the page
    (those of ``warmed``: both by default) are kept."""
    community = CommunityPageFactory(parent=CommunityIndexPageFactory(parent=home_page))
    Membership.objects.create(community=community, user=member)
    browsers = browser(member), browser(other)
    for user, client in zip((member, other), browsers, strict=True):
        if warmed is None or user in warmed:
            warm(client, community.url)
    return community, *browsers


def frame_src(response):
    """The signed URL of the module's player frame: minted for the learner who views the page."""
    return re.search(r'<iframe[^>]*data-h5p-frame src="([^"]+)"', response.text)[1]


class TestQueryBudgets:
    def test_module_page(self, module, ada, django_assert_max_num_queries):
        client = browser(ada)
        url = warm(client, module.url)
        with django_assert_max_num_queries(MODULE_PAGE_MAX):
            response = client.get(url)
        assert "data-h5p-player" in response.text
        # The player's CSP additions (its frames' origin) come with the copy.
        frame_src = response["Content-Security-Policy"].split("frame-src", 1)[1].split(";", 1)[0]
        assert "http://testserver" in frame_src.split()

    def test_course_page(self, course, module, ada, django_assert_max_num_queries):
        client = browser(ada)
        url = warm(client, course.url)
        with django_assert_max_num_queries(COURSE_PAGE_MAX):
            response = client.get(url)
        assert module.title in response.text

    def test_dashboard(self, course, ada, django_assert_max_num_queries):
        client = browser(ada)
        url = warm(client, reverse("courses:dashboard"))
        with django_assert_max_num_queries(DASHBOARD_MAX):
            response = client.get(url)
        assert course.title in response.text

    def test_community_page(self, home_page, ada, django_assert_max_num_queries):
        community = CommunityPageFactory(parent=CommunityIndexPageFactory(parent=home_page))
        community_session(community, title="下週聚會")
        Membership.objects.create(community=community, user=ada)
        client = browser(ada)
        url = warm(client, community.url)
        with django_assert_max_num_queries(COMMUNITY_PAGE_MAX):
            response = client.get(url)
        assert "下週聚會" in response.text

    def test_expert_directory(self, home_page, ada, django_assert_max_num_queries):
        directory = ExpertIndexPageFactory(parent=home_page)
        ExpertFactory(name_zh="林老師")
        client = browser(ada)
        url = warm(client, directory.url)
        with django_assert_max_num_queries(DIRECTORY_MAX):
            response = client.get(url)
        assert "林老師" in response.text

    def test_xapi_statement(self, module, multichoice, ada, django_assert_max_num_queries):
        client = browser(ada)
        # The first answer passes the module (which retires the learner's cached access check); the next is the
        # steady state of a learner answering again.
        for _warm in range(2):
            assert answered(client, module, multichoice, 1).status_code == 201
        with django_assert_max_num_queries(XAPI_MAX):
            assert answered(client, module, multichoice, 1).status_code == 201
        assert XAPIStatement.objects.filter(user=ada).count() == 3
        assert ModuleProgress.objects.get(user=ada, module=module).is_completed


class TestEachLearnerTheirOwn:
    def test_module_page(self, module, multichoice, ada, bea):
        ContentUserData.objects.create(user=ada, package=multichoice, data='{"answers":[0]}')
        ada_browser, bea_browser = browser(ada), browser(bea)
        warm(ada_browser, module.url)
        assert answered(ada_browser, module, multichoice, 1).status_code == 201
        ada_page = ada_browser.get(module.url)
        bea_page = bea_browser.get(module.url)
        assert frame_src(ada_page) != frame_src(bea_page)
        # The saved state travels through the frame, never in the page.
        assert "answers" not in ada_page.text and "answers" not in bea_page.text
        assert "badge-ok" in ada_page.text and "badge-ok" not in bea_page.text
        # Again, both from their copies: each keeps their own frame.
        assert frame_src(bea_browser.get(module.url)) == frame_src(bea_page)
        assert frame_src(ada_browser.get(module.url)) == frame_src(ada_page)

    def test_course_page_and_dashboard(self, course, module, multichoice, ada, bea):
        ada_browser, bea_browser = browser(ada), browser(bea)
        for url in (course.url, reverse("courses:dashboard")):
            warm(ada_browser, url)
            warm(bea_browser, url)
        assert answered(ada_browser, module, multichoice, 1).status_code == 201
        # Ada's copy is retired by her progress; Bea's stays as it was, and shows nothing of Ada's.
        assert 'aria-valuenow="100"' in ada_browser.get(course.url).text
        assert 'aria-valuenow="0"' in bea_browser.get(course.url).text
        assert ModuleProgress.objects.get(user=ada).is_completed
        assert not ModuleProgress.objects.filter(user=bea).exists()

    def test_community_page_members(self, home_page, ada, bea):
        community, ada_browser, bea_browser = community_read_by(home_page, ada, bea)
        # Only a member sees the member list; Bea's copy is hers.
        assert 'class="member-list"' in ada_browser.get(community.url).text
        assert 'class="member-list"' not in bea_browser.get(community.url).text
        community.join(bea)
        # Bea joining changes what every reader of the community sees: Ada's copy too.
        ada_page = ada_browser.get(community.url).text
        assert re.search(r'class="member-list">.*Bea', ada_page, re.S)
        assert 'class="member-list"' in bea_browser.get(community.url).text

    def test_a_community_copy_is_not_answered_once_the_page_is_restricted(self, home_page, ada, bea):
        community, ada_browser, bea_browser = community_read_by(home_page, ada, bea)
        # Restricted to a group neither is in: neither copy is answered, by the routing or by the page.
        group = Group.objects.create(name="Facilitators only")
        restriction = PageViewRestriction.objects.create(page=community, restriction_type="groups")
        restriction.groups.add(group)
        for reader in (ada_browser, bea_browser):
            response = reader.get(community.url)
            assert response.status_code in (302, 403) and 'class="member-list"' not in response.content.decode()
        bea.groups.add(group)
        page = bea_browser.get(community.url)
        assert page.status_code == 200 and 'class="member-list"' not in page.text

    def test_a_community_copy_answered_by_the_routing_is_the_readers_own(self, home_page, ada, bea):
        community, ada_browser, bea_browser = community_read_by(home_page, ada, bea, warmed=(ada,))
        # Ada's copy is kept; Bea, signed in, gets her own page, never Ada's (which shows Ada's member list).
        assert 'class="member-list"' not in bea_browser.get(community.url).text
        assert 'class="member-list"' not in bea_browser.get(community.url).text
        assert 'class="member-list"' in ada_browser.get(community.url).text
        # Signed out: no copy at all.
        assert 'class="member-list"' not in Client().get(community.url).text

    def test_a_second_browser_of_the_same_learner_gets_its_own_csrf_token(self, course, module, ada):
        first, second = browser(ada), browser(ada)
        warm(first, course.url)
        page = second.get(course.url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        assert _unmask_cipher_token(token) == second.cookies["csrftoken"].value
        # The unenrol form works from the copy, with the CSRF check on.
        second.handler.enforce_csrf_checks = True
        response = second.post(reverse("courses:unenrol", args=[course.pk]), {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert "Leave this course" not in first.get(course.url).text


class TestChangesReachTheCopy:
    def test_withdrawal_closes_the_module(self, course, module, ada):
        client = browser(ada)
        warm(client, module.url)
        unenrol(ada, course)
        assert "data-h5p-player" not in client.get(module.url).text

    def test_renamed_learner(self, rf, module, ada):
        request = rf.get(module.url)
        request.user = ada
        before = learner_page_key(request, f"page:{module.pk}")
        ada.first_name = "Adelaide"
        ada.save()
        assert learner_page_key(request, f"page:{module.pk}") != before

    def test_saved_h5p_state_stays_out_of_the_copy(self, module, multichoice, ada):
        client = browser(ada)
        warm(client, module.url)
        ContentUserData.objects.create(user=ada, package=multichoice, data="resume-here")
        assert "resume-here" not in client.get(module.url).text

    def test_new_enrolment_on_the_dashboard(self, course, ada):
        client = browser(ada)
        warm(client, reverse("courses:dashboard"))
        other = CoursePageFactory(parent=course.get_parent(), title="第二門課程")
        EnrolmentFactory(user=ada, course=other)
        assert "第二門課程" in client.get(reverse("courses:dashboard")).text

    def test_module_published_again(self, module, ada):
        client = browser(ada)
        warm(client, module.url)
        module.title = "多選題（修訂）"
        module.save_revision().publish()
        assert "多選題（修訂）" in client.get(module.url).text


class TestNotKept:
    def test_messages_are_shown_once_and_never_kept(self, course, module, ada):
        client = browser(ada)
        warm(client, course.url)
        response = client.post(reverse("courses:enrol", args=[course.pk]), {"next": course.url}, follow=True)
        messages = [m.message for m in response.context["messages"]]
        assert messages
        assert messages[0] not in client.get(course.url).text

    def test_anonymous_reader_never_gets_a_learners_copy(self, module, ada):
        warm(browser(ada), module.url)
        response = Client().get(module.url)
        assert "data-h5p-player" not in response.text
        assert "Ada" not in response.text
