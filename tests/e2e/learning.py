"""A course to learn in the browser: one module plays a real H5P package from ../shared/h5p/, the next one the
project's own demo quiz (IEA.Quiz), in the demo catalogue, in both languages."""

import time

from django.core.files.base import ContentFile
from django.db import OperationalError

from courses.h5p.demo import build_quiz_package
from courses.h5p.demo.quizzes import EXCHANGE_QUIZ, L10N_ZH_HANT
from courses.models import CourseIndexPage, CoursePage, H5PPackage, ModulePage
from home.demo import ensure_page, paragraphs
from tests.courses.h5p_packages import real_package

REAL_PACKAGE = "H5P.TrueFalse-h5p-standalone-test.h5p"
REAL_PACKAGE_ANSWER = "False"
COURSE_FIELDS = {
    "zh-hant": {"title": "國際交流實務", "summary": "規劃雙向的國際交流活動，從申請補助到成果分享。"},
    "en": {"title": "International exchange in practice", "summary": "Plan two-way exchanges, from funds to sharing."},
}


def build_exchange_course():
    """Returns (course pages by language, [real-package module, demo-quiz module] in zh-Hant)."""
    real = H5PPackage.from_upload(ContentFile(real_package(REAL_PACKAGE).read_bytes(), name=REAL_PACKAGE))
    quiz = H5PPackage.from_upload(ContentFile(build_quiz_package(EXCHANGE_QUIZ), name="exchange-quiz.h5p"))
    catalogue = {page.locale.language_code: page for page in CourseIndexPage.objects.select_related("locale")}
    common = {"competency_area": "exchange", "level": "beginner", "study_hours": 4}
    course = ensure_page(
        catalogue, CoursePage, "exchange-in-practice", {code: {**COURSE_FIELDS[code], **common} for code in catalogue}
    )
    modules = []
    for slug, package, titles in (
        ("warm-up", real, ("暖身題", "Warm-up")),
        ("exchange-quiz", quiz, ("國際交流計畫測驗", "Exchange programmes quiz")),
    ):
        fields = {"completion_rule": "h5p_passed", "pass_mark": 60, "estimated_minutes": 10}
        pages = ensure_page(
            course,
            ModulePage,
            slug,
            {
                code: {
                    "title": title,
                    "body": [*paragraphs(title), {"type": "h5p", "value": {"package": package.pk, "title": title}}],
                    **fields,
                }
                for code, title in zip(("zh-hant", "en"), titles, strict=True)
            },
        )
        modules.append(pages["zh-hant"])
    return course, modules


def h5p_frame(page):
    """The player's sandboxed frame on the content origin, where the package's content runs."""
    return page.frame_locator("iframe[data-h5p-frame]")


def demo_quiz_questions():
    """(question text, [correct answer texts]) for every question of the demo quiz the course plays."""
    return [
        (question["text"], [answer["text"] for answer in question["answers"] if answer["correct"]])
        for question in EXCHANGE_QUIZ["questions"]
    ]


CHECK_BUTTON = L10N_ZH_HANT["check"]


def wait_until(condition, seconds=20, page=None):
    """The browser reports to the server in the background: wait for what it wrote.

    Given the page, it waits through Playwright, which meanwhile runs the page's route and event handlers.
    On SQLite the test and the live server share one in-memory database whose tables are locked while the server
    writes (several statements arrive at once): such a read is tried again."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = condition()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            result = None
        if result:
            return result
        if page is None:
            time.sleep(0.25)
        else:
            page.wait_for_timeout(250)
    raise AssertionError(f"still false after {seconds} s: {condition.__doc__ or condition}")
