"""axe-core on every public page type and on the teacher's own pages (notifications, discussions, a
questionnaire), in both languages: no serious or critical violation. Journey 2 done with the keyboard alone lives
in test_keyboard.py."""

import io

import pytest

from accounts.demo import DEMO_ACCOUNTS, TEACHER_EMAIL
from accounts.models import User
from certification.models import Certificate
from certification.registry.issuing import issue_and_complete
from community import demo as community_demo
from community.models import CommunityIndexPage, CommunityPage, Expert, ExpertIndexPage
from courses.models import (
    Attendance,
    CourseIndexPage,
    CoursePage,
    ModulePage,
    TrainingSession,
    WorkshopIndexPage,
    WorkshopPage,
)
from discussions import posting
from discussions.views import board_for
from feedback import demo as feedback_demo
from home.models import NewsIndexPage, NewsPage, StandardPage
from tests.certification.conftest import platform_pki  # noqa: F401 - fixtures
from tests.e2e.accessibility import describe, serious_violations
from tests.e2e.certificates import certification_site, outside_the_browser_loop  # noqa: F401 - fixture
from tests.e2e.conftest import DESKTOP
from tests.e2e.steps import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
TEACHER_PASSWORD = next(spec["password"] for spec in DEMO_ACCOUNTS if spec["email"] == TEACHER_EMAIL)
PAGE_TYPES = [
    StandardPage,
    NewsIndexPage,
    NewsPage,
    CourseIndexPage,
    CoursePage,
    ModulePage,
    WorkshopIndexPage,
    WorkshopPage,
    CommunityIndexPage,
    CommunityPage,
    ExpertIndexPage,
]


@pytest.fixture
def full_site(certification_site):  # noqa: F811
    """Everything the demo has, and a certificate the demo teacher holds."""

    def load_and_issue():
        # The community demo's members may become eligible, and an eligible teacher's certificate is signed.
        community_demo.load(io.StringIO())
        feedback_demo.load(io.StringIO())
        teacher = User.objects.get(email=TEACHER_EMAIL)
        return issue_and_complete(teacher, certification_site["beginner"], origin=Certificate.Origin.MANUAL)

    return outside_the_browser_loop(load_and_issue)


def public_paths(language):
    """One live page of each type in `language`, plus the pages that are views rather than Wagtail pages."""
    paths = [f"/{language}/"]
    for model in PAGE_TYPES:
        first = model.objects.live().filter(locale__language_code=language).first()
        assert first is not None, f"the demo has no {model.__name__} in {language}"
        paths.append(first.url)
    experts = ExpertIndexPage.objects.live().get(locale__language_code=language)
    paths.append(f"{experts.url}{Expert.objects.order_by('pk').first().pk}/")
    paths.append(f"{experts.url}?q=姊妹")
    paths += [f"/{language}/{path}" for path in ("programmes/", "programmes/beginner/", "verify/", "verify/pdf/")]
    paths += [f"/{language}/accounts/{path}" for path in ("login/", "signup/", "password/reset/")]
    return paths


def horizontal_overflow_on_a_phone(page):
    """How many pixels the page is wider than a 390 px phone screen (WCAG 1.4.10 Reflow asks for none)."""
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.set_viewport_size(DESKTOP)
    return overflow


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_no_serious_violation_on_any_page_type(page, full_site, language):
    found = {}
    paths = public_paths(language) + [f"/{language}/verify/{full_site.public_id}"]
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        violations = serious_violations(page)
        if violations:
            found[path] = describe(violations)
        if overflow := horizontal_overflow_on_a_phone(page):
            found[path] = f"reflow: {overflow} px wider than a 390 px phone screen"

    sign_in(page, TEACHER_EMAIL, TEACHER_PASSWORD, language)
    teacher = User.objects.get(email=TEACHER_EMAIL)
    community = CommunityPage.objects.filter(locale__language_code="zh-hant").first()
    community.join(teacher)
    thread = posting.start_thread(board_for(community), teacher, "跨文化教案分享", "大家好，分享我的教案。")
    posting.reply(thread, teacher, "補充：附上學習單。")
    session = TrainingSession.objects.filter(kind=TrainingSession.Kind.WORKSHOP, feedback_survey__isnull=False).first()
    Attendance.objects.get_or_create(session=session, user=teacher, defaults={"method": "list"})
    own_pages = (
        f"/{language}/learning/",
        f"/{language}/certificates/",
        f"/{language}/certificates/name-correction/",
        f"/{language}/accounts/profile/",
        f"/{language}/notifications/",
        f"/{language}/notifications/preferences/",
        f"/{language}/discussions/pages/{community.pk}/",
        f"/{language}/discussions/threads/{thread.pk}/",
        f"/{language}/feedback/{session.feedback_survey.pk}/",
    )
    for path in own_pages:
        response = page.goto(path)
        assert response.status == 200, path
        violations = serious_violations(page)
        if violations:
            found[path] = describe(violations)
    assert not found, "\n".join(f"{path}\n{report}" for path, report in found.items())
