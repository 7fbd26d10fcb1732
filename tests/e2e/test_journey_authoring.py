"""Journey 5: a trainer uploads an .h5p package, creates a course and a module playing it in the Wagtail admin and
publishes them; a teacher then finds the course in the catalogue."""

import io
import re

import pytest

from accounts.demo import DEMO_ACCOUNTS, TRAINER_EMAIL, ensure_authenticator
from accounts.models import User
from courses import demo as courses_demo
from courses.h5p.demo import build_quiz_package
from courses.h5p.demo.quizzes import EXCHANGE_QUIZ
from courses.models import CourseIndexPage, CoursePage, H5PPackage, ModulePage
from tests.accounts.factories import PASSWORD, TeacherProfileFactory
from tests.e2e.learning import h5p_frame
from tests.e2e.steps import sign_in, sign_in_with_two_factors, text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TRAINER_PASSWORD = next(spec["password"] for spec in DEMO_ACCOUNTS if spec["email"] == TRAINER_EMAIL)
COURSE_TITLE = "姊妹校線上交流設計"
MODULE_TITLE = "規劃第一次視訊交流"
QUIZ = {**EXCHANGE_QUIZ, "title": "視訊交流準備小測驗", "titleTranslation": "Quiz: preparing an online exchange"}


@pytest.fixture
def catalogue(demo_site):
    courses_demo.load(io.StringIO())
    return CourseIndexPage.objects.get(slug="courses", locale__language_code="zh-hant")


def admin_text(page, msgid):
    language = "en" if page.locator("html").get_attribute("lang").startswith("en") else "zh-hant"
    return text(msgid, language)


def test_trainer_authors_a_course_with_h5p_and_a_teacher_finds_it(page, browser_context, catalogue, tmp_path):
    package_file = tmp_path / "sister-school-quiz.h5p"
    package_file.write_bytes(build_quiz_package(QUIZ))
    trainer = User.objects.get(email=TRAINER_EMAIL)

    sign_in_with_two_factors(page, TRAINER_EMAIL, TRAINER_PASSWORD, ensure_authenticator(trainer))

    # The package, through the H5P snippet's upload form.
    page.goto("/admin/")
    page.get_by_role("link", name="H5P", exact=True).click()
    page.get_by_role(
        "link", name=admin_text(page, "Add %(model_name)s") % {"model_name": H5PPackage._meta.verbose_name}
    ).click()
    page.locator("input[type=file]").set_input_files(package_file)
    page.locator("main form").get_by_role("button", name=admin_text(page, "Save")).first.click()
    page.wait_for_url(re.compile(r"/admin/snippets/courses/h5ppackage/(\?.*)?$"))
    package = H5PPackage.objects.get(title=QUIZ["title"])

    # The course, a child of the catalogue.
    add_child_page(page, catalogue, CoursePage)
    page.locator("#id_title").fill(COURSE_TITLE)
    page.locator("#id_summary").fill("與海外姊妹校規劃一學期的線上共學：主題、分工與成果分享。")
    page.locator("#id_competency_area").select_option("exchange")
    page.locator("#id_level").select_option("beginner")
    page.locator("#id_study_hours").fill("3")
    page.locator("#id_trainers").select_option(label=TRAINER_EMAIL)
    publish(page)
    course = CoursePage.objects.get(title=COURSE_TITLE)
    assert course.live and course.get_parent().pk == catalogue.pk

    # The module, a child of the new course, playing the uploaded package.
    add_child_page(page, course, ModulePage)
    page.locator("#id_title").fill(MODULE_TITLE)
    page.locator("button.c-sf-add-button").first.click()
    page.get_by_text(admin_text(page, "H5P activity"), exact=True).click()
    page.locator(".snippet-chooser button.chooser__choose-button").first.click()
    page.locator(".modal").get_by_role("link", name=QUIZ["title"]).click()
    page.locator(".modal").wait_for(state="hidden")
    page.locator("#id_completion_rule").select_option("h5p_completed")
    publish(page)
    module = ModulePage.objects.get(title=MODULE_TITLE)
    assert module.live and module.get_parent().pk == course.pk
    assert list(module.h5p_package_ids) == [package.pk]

    # A teacher, in a browser of their own, finds the course in the catalogue and plays the module.
    teacher = TeacherProfileFactory(user__email="chou.yuting@ms.khjh.kh.edu.tw").user
    teacher_page = browser_context.browser.new_context(base_url=page.url.split("/admin/")[0]).new_page()
    sign_in(teacher_page, teacher.email, PASSWORD)
    teacher_page.get_by_role("navigation", name=text("Main")).get_by_role(
        "link", name=courses_demo.CATALOGUE["zh-hant"]["title"]
    ).click()
    teacher_page.get_by_role("link", name=COURSE_TITLE).click()
    teacher_page.get_by_role("heading", level=1, name=COURSE_TITLE).wait_for()
    assert trainer.display_name in teacher_page.locator("main").inner_text()
    teacher_page.get_by_role("button", name=text("Enrol in this course")).click()
    teacher_page.get_by_role("link", name=f"{text('Continue')}: {MODULE_TITLE}").click()
    first_question = QUIZ["questions"][0]
    h5p_frame(teacher_page).locator("fieldset", has_text=first_question["text"]).wait_for()
    teacher_page.context.close()


def add_child_page(page, parent, model):
    """From the parent's listing in the page explorer; the type is asked only when the parent allows several."""
    page.goto(f"/admin/pages/{parent.pk}/")
    page.get_by_role("link", name=admin_text(page, "Add child page")).first.click()
    page.wait_for_load_state()
    if "/add_subpage/" in page.url:
        page.get_by_role("link", name=admin_text(page, model._meta.verbose_name), exact=True).click()
    page.locator("#id_title").wait_for()


def publish(page):
    page.get_by_role("button", name=admin_text(page, "More actions")).click()
    page.get_by_role("button", name=admin_text(page, "Publish"), exact=True).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
