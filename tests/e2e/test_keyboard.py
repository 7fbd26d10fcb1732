"""Journey 2 with the keyboard alone: no click, no fill, only the keys a keyboard user presses."""

import io

import pytest
from playwright.sync_api import Error as PlaywrightError

from courses import demo as courses_demo
from tests.accounts.factories import PASSWORD, TeacherProfileFactory
from tests.e2e.learning import (
    CHECK_BUTTON,
    COURSE_FIELDS,
    REAL_PACKAGE_ANSWER,
    build_exchange_course,
    demo_quiz_questions,
    wait_until,
)
from tests.e2e.steps import text
from tests.e2e.test_journey_learning import course_progress, module_is_completed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FOCUSED = """() => {
    let element = document.activeElement;
    if (!element || element === document.body) return null;
    const label = element.labels && element.labels.length ? element.labels[0].innerText : "";
    const words = element.getAttribute("aria-label") || label || element.innerText || element.value || "";
    return [element.tagName, words.trim(), element.type || element.getAttribute("role") || ""];
}"""


def focused(page):
    """(tag, accessible text) of the focused element, looking inside the frame that has the focus."""
    for frame in reversed(page.frames):
        try:
            described = frame.evaluate(f"() => document.hasFocus() ? ({FOCUSED})() : null")
        except PlaywrightError:
            # The frame is being replaced (a navigation after the last key press); the next press looks again.
            continue
        if described and described[0] != "IFRAME":
            return described
    return None


def tab_to(page, words, tag=None, limit=120):
    """Press Tab until the focused element says `words` (and is a `tag`, when given)."""
    page.wait_for_load_state()
    seen = []
    for _press in range(limit):
        page.keyboard.press("Tab")
        current = focused(page)
        seen.append(current)
        if current and words in current[1] and (tag is None or current[0] == tag):
            return
    raise AssertionError(f"Tab never reached {words!r}; focus went through {seen}")


def choose(page, answer):
    """Tick a checkbox, or select a radio button: Tab reaches one radio of a group, arrow keys select the others."""
    page.wait_for_load_state()
    for _press in range(60):
        page.keyboard.press("Tab")
        current = focused(page)
        if current and current[0] == "INPUT" and answer in current[1]:
            page.keyboard.press("Space")
            return
        if current and current[2] == "radio":
            for _arrow in range(10):
                page.keyboard.press("ArrowDown")
                if answer in focused(page)[1]:
                    return
    raise AssertionError(f"could not reach the answer {answer!r} with the keyboard")


def test_learning_journey_with_the_keyboard_alone(page, demo_site):
    courses_demo.load(io.StringIO())
    course, (warm_up, quiz) = build_exchange_course()
    learner = TeacherProfileFactory(user__email="yang.shuhua@ms.ntpc.edu.tw").user
    page.bring_to_front()

    page.goto("/zh-hant/accounts/login/")
    tab_to(page, text("Email"), "INPUT")
    page.keyboard.type(learner.email)
    tab_to(page, text("Password"), "INPUT")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/zh-hant/learning/")

    tab_to(page, courses_demo.CATALOGUE["zh-hant"]["title"], "A")
    page.keyboard.press("Enter")
    tab_to(page, COURSE_FIELDS["zh-hant"]["title"], "A")
    page.keyboard.press("Enter")
    tab_to(page, text("Enrol in this course"), "BUTTON")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert course_progress(page) == 0

    tab_to(page, f"{text('Continue')}: {warm_up.title}", "A")
    page.keyboard.press("Enter")
    page.locator("[data-h5p-player][data-h5p-state=ready]").wait_for()
    # H5P's true/false answers are one radio group: Tab enters it, the arrow keys move between the answers.
    tab_to(page, "True", "DIV")
    page.keyboard.press("ArrowDown")
    assert focused(page)[:2] == ["DIV", REAL_PACKAGE_ANSWER]
    page.keyboard.press("Space")
    tab_to(page, "Check", "BUTTON")
    page.keyboard.press("Enter")
    wait_until(lambda: module_is_completed(learner, warm_up))

    page.reload()
    tab_to(page, text("Course overview"), "A")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert course_progress(page) == 50
    tab_to(page, f"{text('Continue')}: {quiz.title}", "A")
    page.keyboard.press("Enter")
    page.locator("[data-h5p-player][data-h5p-state=ready]").wait_for()
    for _question, answers in demo_quiz_questions():
        for answer in answers:
            choose(page, answer)
        tab_to(page, CHECK_BUTTON, "BUTTON")
        page.keyboard.press("Enter")
    wait_until(lambda: module_is_completed(learner, quiz))

    page.reload()
    tab_to(page, text("Course overview"), "A")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert course_progress(page) == 100
