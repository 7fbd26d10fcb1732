"""Certificates in the browser journeys: the demo programmes over the demo courses, signed with a test PKI."""

import io
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy
import pytest
from django.db import connections

from certification import demo as certification_demo
from certification.registry.issuing import issue_and_complete
from courses import demo as courses_demo
from courses.enrolment import enrol
from courses.models import CoursePage
from courses.progress import record_view
from tests.accounts.factories import TeacherProfileFactory
from tests.certification.poppler import pdftoppm_png

BEGINNER = "beginner"
BEGINNER_COURSES = ("foundations", "curriculum-integration")


@pytest.fixture
def certification_site(demo_site, settings, live_server, platform_pki):
    """Demo courses and programmes; QR codes point at the live server, so a scanned code opens in the test."""
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    courses_demo.load(io.StringIO())
    return certification_demo.ensure_programmes()


def teacher_one_module_short_of_beginner(email):
    """A teacher who has done everything the Beginner certificate asks except the last module of the last course.

    Returns the teacher and that module."""
    teacher = TeacherProfileFactory(
        user__email=email, name_zh="蔡宜君", name_en="Yi-Chun Tsai", school="新竹縣立竹北國民中學"
    ).user
    courses = [CoursePage.objects.get(slug=slug, locale__language_code="zh-hant") for slug in BEGINNER_COURSES]
    for course in courses:
        enrol(teacher, course)
    modules = [module for course in courses for module in course.modules()]
    for module in modules[:-1]:
        record_view(teacher, module)
    return teacher, modules[-1]


def outside_the_browser_loop(function):
    """``function()``'s result, run in a plain thread (which closes its own database connection afterwards).

    Signing runs pyHanko's asyncio code, which cannot start inside the thread where Playwright's loop runs: whatever
    may issue a certificate (issuing itself, or demo content whose teachers become eligible) runs here.
    """

    def run():
        try:
            return function()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run).result()


def issue_outside_the_browser_loop(user, programme, **kwargs):
    """Issue, render and sign a certificate from a test (``outside_the_browser_loop``)."""
    return outside_the_browser_loop(lambda: issue_and_complete(user, programme, **kwargs))


def qr_code_text(pdf):
    """What a phone camera reads from the QR code on the PDF's first page."""
    image = cv2.imdecode(numpy.frombuffer(pdftoppm_png(pdf), numpy.uint8), cv2.IMREAD_GRAYSCALE)
    text, _points, _straight = cv2.QRCodeDetector().detectAndDecode(image)
    return text
