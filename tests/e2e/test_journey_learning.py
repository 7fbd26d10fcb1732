"""Journey 2: a teacher enrols, plays a real H5P package and the project's demo quiz, and sees the modules complete
and the course progress move."""

import io

import pytest

from accounts.models import TeacherProfile
from courses import demo as courses_demo
from courses.models import Enrolment, ModuleProgress
from tests.accounts.factories import PASSWORD, TeacherProfileFactory
from tests.e2e.learning import (
    CHECK_BUTTON,
    COURSE_FIELDS,
    REAL_PACKAGE_ANSWER,
    build_exchange_course,
    demo_quiz_questions,
    h5p_frame,
    wait_until,
)
from tests.e2e.steps import sign_in, text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def exchange_course(demo_site):
    courses_demo.load(io.StringIO())
    return build_exchange_course()


@pytest.fixture
def learner(db) -> TeacherProfile:
    return TeacherProfileFactory(user__email="lin.peiyu@ms.hcjh.hc.edu.tw").user


def course_progress(page, language="zh-hant"):
    progress = page.get_by_role("progressbar", name=text("Course progress", language))
    return int(progress.get_attribute("aria-valuenow"))


def module_is_completed(learner, module):
    return ModuleProgress.objects.filter(user=learner, module=module, status=ModuleProgress.Status.COMPLETED).exists()


def test_enrol_play_real_and_demo_h5p_and_see_progress(page, exchange_course, learner):
    course, (warm_up, quiz) = exchange_course
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    # Before enrolling, the module is closed to the teacher.
    sign_in(page, learner.email, PASSWORD)
    page.goto(warm_up.url)
    page.get_by_text(text("This module is open to the learners enrolled in its course.")).wait_for()
    assert page.locator("iframe[data-h5p-frame]").count() == 0

    page.get_by_role("navigation", name=text("Main")).get_by_role(
        "link", name=courses_demo.CATALOGUE["zh-hant"]["title"]
    ).click()
    page.get_by_role("link", name=COURSE_FIELDS["zh-hant"]["title"]).click()
    page.get_by_role("button", name=text("Enrol in this course")).click()
    assert course_progress(page) == 0
    assert Enrolment.objects.filter(user=learner, course=course["zh-hant"]).count() == 1

    # Module 1: the real TrueFalse package from ../shared/h5p/.
    page.get_by_role("link", name=f"{text('Continue')}: {warm_up.title}").click()
    frame = h5p_frame(page)
    frame.get_by_role("radio", name=REAL_PACKAGE_ANSWER).click()
    frame.get_by_role("button", name="Check").click()
    wait_until(lambda: module_is_completed(learner, warm_up))
    page.reload()
    page.get_by_role("status").get_by_text(text("Completed")).wait_for()

    page.get_by_role("link", name=text("Course overview")).click()
    assert course_progress(page) == 50

    # Module 2: the project's own IEA.Quiz, every question answered right.
    page.get_by_role("link", name=f"{text('Continue')}: {quiz.title}").click()
    frame = h5p_frame(page)
    for question, answers in demo_quiz_questions():
        fieldset = frame.locator("fieldset", has_text=question)
        for answer in answers:
            fieldset.get_by_label(answer).check()
        fieldset.get_by_role("button", name=CHECK_BUTTON).click()
    wait_until(lambda: module_is_completed(learner, quiz))
    page.reload()
    page.get_by_role("status").get_by_text(text("Completed")).wait_for()
    assert "100%" in page.get_by_role("status").inner_text()

    page.get_by_role("link", name=text("Course overview")).click()
    assert course_progress(page) == 100
    enrolment = Enrolment.objects.get(user=learner, course=course["zh-hant"])
    assert enrolment.completed_at is not None
    assert problems == []

    # The English course page tells the same story.
    page.get_by_role("navigation", name=text("Language")).get_by_role("link", name="English").click()
    page.get_by_role("heading", level=1, name=COURSE_FIELDS["en"]["title"]).wait_for()
    assert course_progress(page, "en") == 100
