"""SCORM packages played in Debian's Chromium through Playwright: the run-time frame on a content origin of its
own, scorm-again's API found by the SCO in its parent frame, commits relayed by the page to our endpoint, progress
updated, and the learner resumed where they left."""

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import pgettext_lazy

from certification.models import ModuleRequirement
from certification.registry.eligibility import Kind, evaluate_eligibility
from courses.choices import Assurance
from courses.models import Enrolment, ModuleProgress, ScormPackage, ScormTrack
from courses.scorm.demo import build_demo_package
from tests.certification.factories import ProgrammeFactory
from tests.e2e.conftest import browser, browser_context, page, playwright_driver  # noqa: F401 - fixtures
from tests.e2e.learning import wait_until
from tests.e2e.steps import text

from .factories import CourseIndexPageFactory, CoursePageFactory, EnrolmentFactory, ModulePageFactory, UserFactory
from .scorm_packages import REAL_SCORM_DIR, needs_real_scorm
from .test_h5p_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEXT_SCO = pgettext_lazy("SCORM navigation between SCOs", "Next")
PREVIOUS_SCO = pgettext_lazy("SCORM navigation between SCOs", "Previous")


def learning_module(home_page, package, rule, pass_mark=80):
    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page), slug="scorm-course")
    module = ModulePageFactory(parent=course, slug="scorm-module", pass_mark=pass_mark)
    ModulePageFactory(parent=course, slug="other-module")
    module.body = [("scorm", {"package": package, "title": ""})]
    module.completion_rule = rule
    module.save_revision().publish()
    learner = UserFactory(email="learner@school.example.tw")
    EnrolmentFactory(user=learner, course=course)
    return course, module, learner


@pytest.fixture
def content_origin(live_server, settings):
    settings.CONTENT_ORIGIN = live_server.url.replace("://localhost:", "://content.localhost:")


def sco(tab):
    return tab.frame_locator("iframe[data-scorm-frame]").frame_locator("iframe[data-sco-frame]")


def test_our_package_plays_scores_completes_and_resumes(page, browser_context, live_server, home_page, content_origin):  # noqa: F811
    package = ScormPackage.from_upload(ContentFile(build_demo_package(), name="demo.zip"))
    course, module, learner = learning_module(home_page, package, "scorm_passed")
    sign_in(browser_context, live_server, learner)
    page.goto(module.url)
    sco(page).get_by_role("button", name="下一頁 Next").click()
    wait_until(lambda: ScormTrack.objects.filter(user=learner, location="2").exists(), page=page)
    sco(page).get_by_role("button", name="4", exact=True).click()
    track = wait_until(
        lambda: ScormTrack.objects.filter(user=learner, success_status="passed", score_raw=100).first(), page=page
    )
    assert track.suspend_data == "answer=4"
    # On SQLite the server thread shares the test's connection: its commit is seen while it is still being written.
    completed = ModuleProgress.objects.filter(user=learner, module=module, status=ModuleProgress.Status.COMPLETED)
    progress = wait_until(completed.first, page=page)
    assert progress.assurance == Assurance.REPORTED
    assert wait_until(Enrolment.objects.filter(user=learner, course=course, progress_percent=50).exists, page=page)
    # Back later: the SCO opens on the page it left (its bookmark restored by the run-time).
    page.goto(module.url)
    sco(page).get_by_role("heading", name="小測驗 Check").wait_for()


# The golf quiz's answers by question (shared/assessmenttemplate.html names its inputs question_<id>_<answer>):
# 12 of its 15 questions answered right, so the package reports round(12 * 100 / 15) = 80, passed at its 70.
GOLF = "com.scorm.golfsamples.interactions."
GOLF_ANSWERS = {
    "playing_1": "1",
    "playing_2": "1",  # wrong: "birdie" (two under par is an eagle)
    "playing_3": ("Text", "18"),
    "playing_4": "True",
    "playing_5": ("Text", "3"),
    "etiquette_1": "2",
    "etiquette_2": "True",
    "etiquette_3": "0",
    "handicap_1": "2",
    "handicap_2": ("Text", "4"),  # wrong: 1
    "handicap_3": ("Text", "0"),
    "handicap_4": ("Text", "2"),
    "fun_1": "False",
    "fun_2": "True",  # wrong: knickers are no refined style
    "fun_3": "False",
}


def answer_golf_quiz(quiz):
    for question, answer in GOLF_ANSWERS.items():
        if isinstance(answer, tuple):
            quiz.locator(f"[id='question_{GOLF}{question}_{answer[0]}']").fill(answer[1])
        else:
            quiz.locator(f"[id='question_{GOLF}{question}_{answer}']").check()


def programmes_needing(module):
    """A programme asking only that the module be completed at the reported level, and one asking a checked score."""
    reported, checked = ProgrammeFactory(), ProgrammeFactory()
    ModuleRequirement.objects.create(programme=reported, module=module, assurance=Assurance.REPORTED)
    ModuleRequirement.objects.create(programme=checked, module=module, assurance=Assurance.CHECKED)
    return reported, checked


def module_requirement(learner, programme):
    with translation.override("en"):
        eligibility = evaluate_eligibility(learner, programme)
    return eligibility, next(item for item in eligibility.requirements if item.kind == Kind.MODULE)


def scorm_frame(tab):
    """The run-time frame as a Playwright frame, to wait on its API object."""
    return tab.locator("iframe[data-scorm-frame]").element_handle().content_frame()


def wait_for_sco_started(tab, sco):
    """Until ``sco`` is the SCO playing and has called LMSInitialize/Initialize on the run-time's API."""
    scorm_frame(tab).wait_for_function(
        """sco => {
            const api = window.API || window.API_1484_11;
            const playing = document.querySelector('[data-sco][aria-current=true]');
            return api && api.isInitialized() && (!playing || playing.dataset.sco === sco);
        }""",
        arg=sco,
    )


@needs_real_scorm
def test_singlescobasic_played_to_completion(page, browser_context, live_server, home_page, content_origin):  # noqa: F811
    upload = ContentFile((REAL_SCORM_DIR / "singlescobasic.zip").read_bytes(), name="singlescobasic.zip")
    package = ScormPackage.from_upload(upload)
    course, module, learner = learning_module(home_page, package, "scorm_score", pass_mark=75)
    reported, checked = programmes_needing(module)
    assert not module_requirement(learner, reported)[0].eligible
    sign_in(browser_context, live_server, learner)
    page.goto(module.url)
    launch = sco(page)
    wait_for_sco_started(page, package.scos[0]["identifier"])
    for _ in range(15):
        launch.locator("#butNext").click()
    # The last page is the package's test, in its own frame; reaching it completes the lesson.
    quiz = launch.frame_locator("#contentFrame")
    answer_golf_quiz(quiz)
    quiz.locator("input[value='Submit Answers']").click()
    quiz.get_by_role("heading", name="Score: 80").wait_for()
    # Past the end, Exit finishes without asking whether to save.
    launch.locator("#butExit").click()
    finished = ScormTrack.objects.filter(user=learner, completion_status="passed", score_raw=80, commits__gte=2)
    track = wait_until(finished.first, page=page)
    assert track.sco == package.scos[0]["identifier"] and track.location == "15"
    assert (track.score_min, track.score_max, track.success_status) == (0, 100, "passed")
    assert track.session_time and track.total_seconds >= 1
    completed = ModuleProgress.objects.filter(user=learner, module=module, status=ModuleProgress.Status.COMPLETED)
    progress = wait_until(completed.first, page=page)
    assert progress.best_score == 80 and progress.assurance == Assurance.REPORTED
    assert wait_until(Enrolment.objects.filter(user=learner, course=course, progress_percent=50).exists, page=page)
    # Programmes read the completion at the level the package's word is worth: enough for one asking "reported",
    # not for one asking a score the server checked.
    eligibility, needed = module_requirement(learner, reported)
    assert eligibility.eligible and needed.current == Assurance.REPORTED
    eligibility, needed = module_requirement(learner, checked)
    assert not eligibility.eligible
    assert needed.detail == "Completed: Reported by the activity; needs: Score checked by the server"


@needs_real_scorm
def test_scorm_2004_left_midway_resumed_at_the_same_page(
    page,  # noqa: F811
    browser_context,  # noqa: F811
    live_server,
    home_page,
    content_origin,
):
    upload = ContentFile((REAL_SCORM_DIR / "RuntimeBasicCalls_SCORM20043rdEdition.zip").read_bytes(), name="b.zip")
    package = ScormPackage.from_upload(upload)
    course, module, learner = learning_module(home_page, package, "scorm_completed")
    sign_in(browser_context, live_server, learner)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.goto(module.url)
    wait_for_sco_started(page, package.scos[0]["identifier"])
    content = sco(page).locator("#contentFrame")
    for _ in range(3):
        sco(page).locator("#butNext").click()
    wait_until(lambda: (content.get_attribute("src") or "").endswith("Playing/OtherScoring.html"), page=page)
    # The SCO sets cmi.location as it turns pages; the run-time frame sends it without waiting for the finish.
    track = wait_until(ScormTrack.objects.filter(user=learner, location="3").first, page=page)
    assert track.completion_status == "incomplete" and track.success_status in ("", "unknown")
    # The learner leaves, comes back, and accepts the package's offer to resume.
    page.goto("/zh-hant/")
    page.goto(module.url)
    wait_until(lambda: (content.get_attribute("src") or "").endswith("Playing/OtherScoring.html"), page=page)
    assert any("resume" in message for message in dialogs)
    assert ScormTrack.objects.filter(user=learner).count() == 1
    progress = ModuleProgress.objects.filter(user=learner, module=module).first()
    assert progress is None or progress.status != ModuleProgress.Status.COMPLETED
    assert Enrolment.objects.get(user=learner, course=course).progress_percent == 0


@needs_real_scorm
def test_multi_sco_package_navigated_sco_to_sco(page, browser_context, live_server, home_page, content_origin):  # noqa: F811
    upload = ContentFile((REAL_SCORM_DIR / "RuntimeMinimumCalls_SCORM12.zip").read_bytes(), name="m.zip")
    package = ScormPackage.from_upload(upload)
    _course, module, learner = learning_module(home_page, package, "scorm_completed")
    sign_in(browser_context, live_server, learner)
    page.goto(module.url)
    runtime = page.frame_locator("iframe[data-scorm-frame]")
    # The run-time frame speaks the page's language.
    next_sco = runtime.get_by_role("button", name=text(NEXT_SCO), exact=True)
    previous_sco = runtime.get_by_role("button", name=text(PREVIOUS_SCO), exact=True)
    runtime.get_by_role("navigation", name=text("Table of contents")).wait_for()
    assert runtime.get_by_role("button", name="How to Play").get_attribute("aria-current") == "true"
    wait_for_sco_started(page, "playing_playing_item")
    # A SCO of minimum calls only initializes and finishes: leaving it unloads it, its unload handler finishes
    # it, and a SCO that finishes without a status is "completed" (SCORM 1.2's run-time rule).
    runtime.get_by_role("button", name="Par?").click()
    done = ScormTrack.objects.filter(user=learner, completion_status="completed")
    wait_until(done.filter(sco="playing_playing_item").exists, page=page)
    wait_for_sco_started(page, "playing_par_item")
    next_sco.click()
    wait_until(done.filter(sco="playing_par_item").exists, page=page)
    assert runtime.get_by_role("button", name="Keeping Score").get_attribute("aria-current") == "true"
    wait_for_sco_started(page, "playing_scoring_item")
    previous_sco.click()
    wait_until(done.filter(sco="playing_scoring_item").exists, page=page)
    assert runtime.get_by_role("button", name="Par?").get_attribute("aria-current") == "true"
    assert sorted(done.values_list("sco", flat=True)) == [
        "playing_par_item",
        "playing_playing_item",
        "playing_scoring_item",
    ]
    # Three SCOs of eighteen: the module waits for the others.
    progress = ModuleProgress.objects.filter(user=learner, module=module).first()
    assert progress is None or progress.status != ModuleProgress.Status.COMPLETED
