"""Journey: a trainer imports questions in the admin, sets up an exam in the question bank's form and puts it in a
module; a teacher takes it with the keyboard only, closes the browser in the middle, comes back to the saved answers,
submits and passes, and the Advanced programme's checklist then shows them eligible."""

import io
import re
import time

import pytest

from accounts.demo import DEMO_ACCOUNTS, TRAINER_EMAIL, ensure_authenticator
from accounts.models import User
from assessments.models import Attempt, Question, QuestionCategory, Quiz
from certification.models import CertificationProgramme, ModuleRequirement
from courses import demo as courses_demo
from courses.choices import Assurance
from courses.models import CoursePage, Enrolment, ModulePage, ModuleProgress
from tests.accounts.factories import PASSWORD, TeacherProfileFactory
from tests.e2e.steps import sign_in, sign_in_with_two_factors, text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TRAINER_PASSWORD = next(spec["password"] for spec in DEMO_ACCOUNTS if spec["email"] == TRAINER_EMAIL)
GIFT = """$CATEGORY: $course$/白皮書第四章

::交流::學校辦理國際交流計畫補助雙向的國際交流活動。{T}

::中心::國際教育中心計畫的執行機關是教育部。{T}

::海外::海外參訪計畫只遴選學生參加。{F}

::資訊網::國際教育資訊網計畫建置國際教育資訊平臺。{T}
"""
ANSWERS = {"交流": "true", "中心": "true", "海外": "false", "資訊網": "true"}


@pytest.fixture
def course(demo_site):
    courses_demo.load(io.StringIO())
    return CoursePage.objects.get(slug="foundations", locale__language_code="zh-hant")


def test_trainer_imports_and_builds_an_exam_teacher_takes_it_by_keyboard_and_resumes(
    page, browser_context, course, tmp_path
):
    trainer = User.objects.get(email=TRAINER_EMAIL)
    sign_in_with_two_factors(page, TRAINER_EMAIL, TRAINER_PASSWORD, ensure_authenticator(trainer))

    # The questions, through the import page of the question bank.
    gift = tmp_path / "chapter4.gift"
    gift.write_text(GIFT, encoding="utf-8")
    page.goto("/admin/question-bank/import/")
    page.locator("input[type=file]").set_input_files(gift)
    page.locator("select[name=file_format]").select_option("gift")
    page.locator("main form").get_by_role("button", name=re.compile(text("Import"))).click()
    page.get_by_text(text("%(count)s questions imported.") % {"count": 4}).wait_for()
    category = QuestionCategory.objects.get(name_en="白皮書第四章")
    assert Question.objects.filter(category=category, author=trainer).count() == 4

    # The exam's settings, through the question bank's form: drawn from the imported category, timed, graded.
    page.goto("/admin/")
    page.get_by_role("button", name=text("Question bank")).click()
    page.get_by_role("link", name=text("Quizzes and exams")).click()
    page.wait_for_url(re.compile(r"/admin/snippets/assessments/quiz/$"))
    page.locator("main a[href$='/admin/snippets/assessments/quiz/add/']").first.click()
    page.wait_for_url(re.compile(r"/quiz/add/$"))
    page.locator("#id_title_zh").fill("第四章總測驗")
    page.locator("#id_title_en").fill("Chapter 4 exam")
    page.locator("#id_kind").select_option("exam")
    draw = page.locator("#id_draws-0-category").locator("xpath=ancestor::*[contains(@class, 'w-field')][1]")
    draw.locator("button.chooser__choose-button").click()
    page.locator(".modal").get_by_role("link", name=re.compile("白皮書第四章")).click()
    page.locator(".modal").wait_for(state="hidden")
    page.locator("#id_draws-0-count").fill("4")
    page.locator("#id_time_limit_minutes").fill("20")
    page.locator("#id_max_attempts").fill("2")
    page.locator("#id_grading_method").select_option("highest")
    page.locator("#id_pass_mark").fill("75")
    page.locator("main form").get_by_role("button", name=re.compile(f"^{text('Save')}$")).click()
    page.wait_for_url(re.compile(r"/admin/snippets/assessments/quiz/$"))
    exam = Quiz.objects.get(title_en="Chapter 4 exam")
    assert (exam.kind, exam.time_limit_minutes, exam.max_attempts, exam.pass_mark) == (Quiz.Kind.EXAM, 20, 2, 75)
    assert exam.grading_method == Quiz.GradingMethod.HIGHEST
    assert list(exam.draws.values_list("category", "count")) == [(category.pk, 4)]

    # ... placed in a module completed by passing it.
    module = ModulePage.objects.child_of(course).live().last().specific
    page.goto(f"/admin/pages/{module.pk}/edit/")
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_text(text("Quiz or exam"), exact=True).click()
    page.locator(".snippet-chooser button.chooser__choose-button").last.click()
    page.locator(".modal").get_by_role("link", name=re.compile("第四章總測驗|Chapter 4 exam")).click()
    page.locator(".modal").wait_for(state="hidden")
    page.locator("#id_completion_rule").select_option("quiz_passed")
    page.get_by_role("button", name=re.compile(text("More actions"))).click()
    page.get_by_role("button", name=re.compile(f"^{text('Publish')}$")).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    module.refresh_from_db()
    assert module.blocks_of_type("quiz") == [{"quiz": exam.pk}]

    # The Advanced certificate asks for the exam passed: its module completed at the level only a quiz proves.
    advanced = CertificationProgramme.objects.create(
        slug="advanced",
        name_zh="國際教育專業知能認證（進階）",
        name_en="International Education Professional Competency (Advanced)",
        issue_mode=CertificationProgramme.IssueMode.APPROVAL,
    )
    ModuleRequirement.objects.create(programme=advanced, module=module, assurance=Assurance.ASSESSED)

    # The teacher, in a browser of their own, with the keyboard only.
    teacher = TeacherProfileFactory(user__email="wu.yiting@ms.tpjh.tp.edu.tw").user
    Enrolment.objects.create(user=teacher, course=course)
    base_url = page.url.split("/admin/")[0]
    first = browser_context.browser.new_context(base_url=base_url)
    tab = first.new_page()
    sign_in(tab, teacher.email, PASSWORD)
    checklist = advanced_checklist(tab)
    checklist.locator("li.not-met").filter(has_text=module.title).wait_for()
    assert text("Eligible") not in checklist.inner_text()
    tab.goto(module.url)
    start = tab.get_by_role("button", name=text("Start the quiz"))
    start.focus()
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/attempts/\d+/$"))
    attempt = Attempt.objects.get(user=teacher)
    questions = tab.locator("fieldset.quiz-question")
    assert questions.count() == 4
    slots = list(attempt.slots.select_related("question"))
    for slot in slots[:2]:
        answer_by_keyboard(tab, slot, ANSWERS[slot.question.name])
    # Saved on the server as the teacher goes (attempt.js posts the form on each change).
    wait_for_saved(attempt, [slot.position for slot in slots[:2]])
    first.close()  # the browser closes in the middle of the exam

    second = browser_context.browser.new_context(base_url=base_url)
    tab = second.new_page()
    sign_in(tab, teacher.email, PASSWORD)
    tab.goto(module.url)
    tab.get_by_role("link", name=text("Continue your attempt")).click()
    tab.wait_for_url(re.compile(rf"/attempts/{attempt.pk}/$"))
    for slot in slots[:2]:
        value = ANSWERS[slot.question.name]
        assert tab.locator(f"input[name='s{slot.position}-answer'][value='{value}']").is_checked()
    for slot in slots[2:]:
        answer_by_keyboard(tab, slot, ANSWERS[slot.question.name])
    submit = tab.get_by_role("button", name=text("Submit and finish"))
    submit.focus()
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/review/$"))
    assert "100%" in tab.locator("main").inner_text()
    assert text("Passed") in tab.locator("main").inner_text()
    assert ModuleProgress.objects.get(user=teacher, module=module).is_completed

    # The Advanced certificate is now within reach: the teacher's checklist shows the exam met, and them eligible.
    checklist = advanced_checklist(tab)
    checklist.locator("li.met").filter(has_text=module.title).wait_for()
    assert checklist.locator("li.not-met").count() == 0
    checklist.get_by_text(text("Eligible"), exact=True).wait_for()
    checklist.get_by_text(text("An administrator will review your certificate.")).wait_for()
    second.close()


def advanced_checklist(tab):
    """The teacher's checklist on the Advanced programme's page, reached from the list of programmes."""
    tab.goto("/zh-hant/programmes/")
    tab.get_by_role("link", name="國際教育專業知能認證（進階）").first.click()
    tab.wait_for_url(re.compile(r"/programmes/advanced/$"))
    return tab.locator(".eligibility")


def answer_by_keyboard(tab, slot, value):
    """Tab into the question's radio group and move to the answer with the arrow keys, as a keyboard user does."""
    radios = tab.locator(f"input[name='s{slot.position}-answer']")
    radios.first.focus()
    tab.keyboard.press("Space")
    if value == "false":
        tab.keyboard.press("ArrowDown")
    assert tab.locator(f"input[name='s{slot.position}-answer'][value='{value}']").is_checked()


def wait_for_saved(attempt, positions, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        saved = set(attempt.slots.exclude(response={}).values_list("position", flat=True))
        if set(positions) <= saved:
            return
        time.sleep(0.2)
    raise AssertionError(f"answers not saved on the server: {positions}")
