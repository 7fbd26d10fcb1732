"""Our IEA.Quiz package and the real packages really play in h5p-standalone, in the sandboxed frame on the content
origin under the frame's strict CSP: answers reach the server as xAPI statements through the page's relay, and the
learner's state is saved and restored (Debian's Chromium through Playwright)."""

import uuid

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile

from courses.h5p.demo import build_quiz_package
from courses.h5p.demo.quizzes import EXCHANGE_QUIZ
from courses.models import ContentUserData, H5PAttempt, H5PPackage, XAPIStatement
from tests.e2e.conftest import browser, browser_context, page, playwright_driver  # noqa: F401 - fixtures
from tests.e2e.learning import h5p_frame, wait_until

from .factories import CourseIndexPageFactory, CoursePageFactory, EnrolmentFactory, ModulePageFactory, UserFactory
from .h5p_packages import real_package

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def content_origin(settings, live_server):
    """A second host name for the live server (Chromium resolves *.localhost to the loopback address)."""
    settings.CONTENT_ORIGIN = live_server.url.replace("://localhost:", "://content.localhost:")
    assert settings.CONTENT_ORIGIN != live_server.url
    return settings.CONTENT_ORIGIN


@pytest.fixture
def quiz_module(home_page):
    package = H5PPackage.from_upload(ContentFile(build_quiz_package(EXCHANGE_QUIZ), name="exchange.h5p"))
    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page), slug="exchange")
    module = ModulePageFactory(parent=course, slug="quiz")
    module.body = [("h5p", {"package": package, "title": "國際交流小測驗"})]
    module.completion_rule = "h5p_completed"
    module.save_revision().publish()
    learner = UserFactory(email="learner@school.example.tw")
    EnrolmentFactory(user=learner, course=course)
    return module, package, learner


def sign_in(context, live_server, user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])


def open_player(page, url):  # noqa: F811 - the page fixture
    page.goto(url)
    page.locator("[data-h5p-player][data-h5p-state=ready]").wait_for()


def test_quiz_plays_reports_and_resumes(page, browser_context, live_server, quiz_module):  # noqa: F811
    module, package, learner = quiz_module
    sign_in(browser_context, live_server, learner)
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))

    open_player(page, module.url)
    quiz = h5p_frame(page)
    question = quiz.locator("fieldset", has_text="經費由誰共同籌集")
    question.get_by_label("教育部與主管教育行政機關").check()
    question.get_by_role("button", name="檢查答案 Check").click()
    assert "答對了" in question.get_by_role("status").inner_text()

    answered = wait_until(lambda: XAPIStatement.objects.filter(verb__endswith="answered").first())
    assert answered.sub_content_id == "exchange-purpose"
    assert (answered.raw_score, answered.max_score, answered.flagged) == (1, 1, False)
    assert answered.response == "0"
    assert answered.payload["actor"]["account"]["name"] == str(learner.pk)

    # The state is saved by H5P itself (saveFreq) through our contentUserData endpoint, then restored.
    saved = wait_until(lambda: ContentUserData.objects.filter(user=learner, package=package).first(), seconds=30)
    assert '"exchange-purpose":[0]' in saved.data.replace(" ", "")
    open_player(page, module.url)
    question = h5p_frame(page).locator("fieldset", has_text="經費由誰共同籌集")
    assert question.get_by_label("教育部與主管教育行政機關").is_checked()
    assert question.get_by_label("教育部與主管教育行政機關").is_disabled()

    quiz = h5p_frame(page)
    items = quiz.locator("fieldset", has_text="補助項目")
    for label in ("姊妹校交流活動", "國際志工服務", "參與國際會議或競賽"):
        items.get_by_label(label).check()
    items.get_by_role("button", name="檢查答案 Check").click()
    direction = quiz.locator("fieldset", has_text="哪一種方向")
    direction.get_by_label("只有出國").check()
    direction.get_by_role("button", name="檢查答案 Check").click()
    assert "你答對 2 題，共 3 題。You scored 2 out of 3." in quiz.get_by_role("status").last.inner_text()
    assert "第 3 題，共 3 題 · Question 3 of 3" in direction.inner_text()

    completed = wait_until(lambda: XAPIStatement.objects.filter(verb__endswith="completed").first())
    assert (completed.raw_score, completed.max_score, completed.flagged) == (2, 3, False)
    attempt = wait_until(lambda: H5PAttempt.objects.filter(user=learner, finished_at__isnull=False).first())
    assert (attempt.raw_score, attempt.max_score, attempt.flagged) == (2, 3, False)
    assert not [problem for problem in problems if "Content Security Policy" in problem or "Refused" in problem]
    assert not [problem for problem in problems if "H5P" in problem or "TypeError" in problem]


@pytest.mark.parametrize("id_source", ["randomUUID", "getRandomValues"])
def test_statements_carry_the_players_ids_and_a_lost_answer_is_retried_with_the_same_id(
    page,  # noqa: F811
    browser_context,  # noqa: F811
    live_server,
    quiz_module,
    id_source,
):
    """The player names each statement; the answer to the first post is lost on the way back (the server stored
    it), so the player posts it again with the same id and the server answers a duplicate: stored once."""
    module, package, learner = quiz_module
    sign_in(browser_context, live_server, learner)
    if id_source == "getRandomValues":
        # As on a page served over plain http from another host than localhost: no secure context, no randomUUID.
        browser_context.add_init_script("delete Crypto.prototype.randomUUID;")
    posted, answers = [], []

    def lose_the_first_answer(route):
        posted.append(route.request.post_data_json["statement"]["id"])
        if len(posted) == 1:
            route.fetch()
            route.fulfill(status=503, body="")
        else:
            route.continue_()

    # The page's language's endpoint, whatever language the test thread last activated.
    page.route("**/learning/xapi/", lose_the_first_answer)
    page.on("response", lambda response: "/xapi/" in response.url and answers.append(response))
    open_player(page, module.url)
    assert page.evaluate("typeof crypto.randomUUID") == ("function" if id_source == "randomUUID" else "undefined")
    question = h5p_frame(page).locator("fieldset", has_text="經費由誰共同籌集")
    question.get_by_label("教育部與主管教育行政機關").check()
    question.get_by_role("button", name="檢查答案 Check").click()

    stored = XAPIStatement.objects.filter(user=learner)
    wait_until(
        lambda: stored.filter(verb__endswith="answered").exists() and len(answers) == len(posted),
        seconds=60,
        page=page,
    )
    assert posted[0] == posted[1]
    assert answers[0].status == 503
    assert (answers[1].status, answers[1].json()) == (200, {"stored": False, "duplicate": True})
    assert all(uuid.UUID(statement_id).version == 4 for statement_id in posted)
    assert len(set(posted)) == len(posted) - 1 >= 2
    assert sorted(str(statement_id) for statement_id in stored.values_list("statement_id", flat=True)) == sorted(
        set(posted)
    )


@pytest.mark.parametrize(
    ("filename", "answer", "expected"),
    [("H5P.TrueFalse-h5p-standalone-test.h5p", "False", (1, 1)), ("H5P.MultiChoice.h5p", "Blue", (0, 1))],
)
def test_real_package(page, browser_context, live_server, home_page, filename, answer, expected):  # noqa: F811
    path = real_package(filename)
    package = H5PPackage.from_upload(ContentFile(path.read_bytes(), name=filename))
    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page), slug="real")
    module = ModulePageFactory(parent=course, slug="real-h5p")
    module.body = [("h5p", {"package": package, "title": ""})]
    module.save_revision().publish()
    learner = UserFactory(email="learner@school.example.tw")
    EnrolmentFactory(user=learner, course=course)
    sign_in(browser_context, live_server, learner)
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))

    open_player(page, module.url)
    content = h5p_frame(page)
    content.get_by_role("radio", name=answer).click()
    content.get_by_role("button", name="Check").click()

    statement = wait_until(lambda: XAPIStatement.objects.filter(verb__endswith="answered").first())
    assert package.evaluates_code == (filename == "H5P.MultiChoice.h5p")
    assert (statement.raw_score, statement.max_score) == expected
    assert not statement.flagged, statement.flag_reason
    assert not [problem for problem in problems if "Content Security Policy" in problem or "Refused" in problem]
