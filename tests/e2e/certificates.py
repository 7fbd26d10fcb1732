"""Certificates in the browser journeys: the demo programmes over the demo courses, signed with a test PKI."""

import io

import cv2
import numpy
import pytest

from certification import demo as certification_demo
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


def qr_code_text(pdf):
    """What a phone camera reads from the QR code on the PDF's first page."""
    image = cv2.imdecode(numpy.frombuffer(pdftoppm_png(pdf), numpy.uint8), cv2.IMREAD_GRAYSCALE)
    text, _points, _straight = cv2.QRCodeDetector().detectAndDecode(image)
    return text
