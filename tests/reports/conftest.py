"""A small, fully known world: every number the reports show for it is worked out by hand in the tests.

Dates are in the first quarter of 2026 (the range the tests ask for), with a few things outside it on purpose.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from certification.models import Certificate
from courses.choices import Assurance
from courses.models import Attendance, Enrolment, ModuleProgress, Registration, TrainingSession
from reports.filters import ReportFilters
from tests.certification.factories import ProgrammeFactory
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    ModulePageFactory,
    WorkshopPageFactory,
)

from .factories import at, attempt, certificate, h5p_package, staff, teacher

FIRST_QUARTER = {"date_from": "2026-01-01", "date_to": "2026-03-31"}
COMPLETED = ModuleProgress.Status.COMPLETED
IN_PROGRESS = ModuleProgress.Status.IN_PROGRESS


@pytest.fixture
def quarter():
    return ReportFilters(first_day=datetime.date(2026, 1, 1), last_day=datetime.date(2026, 3, 31))


def enrol(user, course, enrolled_at, completed_at=None):
    enrolment = Enrolment.objects.create(
        user=user, course=course, completed_at=completed_at, progress_percent=100 if completed_at else 0
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=enrolled_at)
    return enrolment


def progress(user, module, course, status, assurance=None):
    if status == COMPLETED and assurance is None:
        assurance = Assurance.CHECKED
    return ModuleProgress.objects.create(user=user, module=module, course=course, status=status, assurance=assurance)


@pytest.fixture
def world(home_page):
    index = CourseIndexPageFactory(parent=home_page)
    course_a = CoursePageFactory(parent=index, title="國際教育概論", slug="introduction", study_hours=Decimal("6"))
    course_b = CoursePageFactory(parent=index, title="課程設計", slug="design", study_hours=Decimal("4"))
    a1, a2, a3 = (ModulePageFactory(parent=course_a, title=f"A{n}", slug=f"a{n}") for n in range(1, 4))
    b1, b2 = (ModulePageFactory(parent=course_b, title=f"B{n}", slug=f"b{n}") for n in range(1, 3))
    beginner = ProgrammeFactory(name_zh="初階", name_en="Beginner", sort_order=0, required_courses=[course_a])
    advanced = ProgrammeFactory(name_zh="進階", name_en="Advanced", sort_order=1)

    t1 = teacher("t1@school.example.tw", "taipei_city", "elementary")
    t2 = teacher("t2@school.example.tw", "taipei_city", "junior_high")
    t3 = teacher("t3@school.example.tw", "tainan_city", "elementary")
    t4 = teacher("t4@school.example.tw", "", "senior_high")

    trainer = staff("trainer@ie-academy.tw", "Trainers")
    course_a.trainers.add(trainer)
    course_a.save()  # a ParentalManyToManyField is written when its page is saved
    administrator = staff("admin@ie-academy.tw", "Certification administrators")

    enrol(t1, course_a, at(2026, 1, 10), completed_at=at(2026, 2, 5))
    for module in (a1, a2):
        progress(t1, module, course_a, COMPLETED)
    # Completed on the activity's own report: the learner progress export counts it apart.
    progress(t1, a3, course_a, COMPLETED, Assurance.REPORTED)
    enrol(t2, course_a, at(2026, 1, 20))
    progress(t2, a1, course_a, COMPLETED)
    progress(t2, a2, course_a, IN_PROGRESS)
    enrol(t3, course_a, at(2026, 2, 3))
    enrol(t1, course_b, at(2026, 3, 1), completed_at=at(2026, 3, 15))
    progress(t1, b1, course_b, COMPLETED)
    progress(t1, b2, course_b, COMPLETED)
    enrol(t4, course_b, at(2025, 6, 1), completed_at=at(2026, 1, 5))
    enrol(t2, course_b, at(2026, 3, 2))
    progress(t2, b1, course_b, IN_PROGRESS)

    certificate(t1, beginner, datetime.date(2026, 2, 10), county="taipei_city")
    certificate(t3, beginner, datetime.date(2026, 2, 20), county="tainan_city")
    certificate(
        t2,
        advanced,
        datetime.date(2026, 3, 5),
        county="taipei_city",
        status=Certificate.Status.REVOKED,
        is_current=False,
    )
    certificate(t4, beginner, datetime.date(2026, 3, 10), county="")
    certificate(t1, advanced, datetime.date(2025, 12, 20), county="taipei_city")
    certificate(t2, beginner, datetime.date(2026, 3, 20), county="taipei_city", status=Certificate.Status.PENDING)

    quiz = h5p_package("文化比較測驗")
    poll = h5p_package("全球議題問答")
    attempt(t1, a1, quiz, 1, True, at(2026, 1, 11))
    attempt(t2, a1, quiz, 1, False, at(2026, 1, 21))
    attempt(t2, a1, quiz, 2, True, at(2026, 1, 22))
    attempt(t3, a1, quiz, 1, True, at(2026, 2, 4), flagged=True)
    attempt(t1, b1, poll, 1, True, at(2026, 3, 2))
    attempt(t2, b1, poll, 1, True, at(2026, 3, 3))
    attempt(t4, b1, poll, 1, None, at(2026, 3, 3))

    workshop_page = WorkshopPageFactory(
        parent=course_a,
        title="跨文化教學工作坊",
        slug="workshop",
        starts_at=at(2026, 2, 14, 9),
        ends_at=at(2026, 2, 14, 12),
        hours=Decimal("3"),
        capacity=30,
    )
    w1 = workshop_page.session
    Registration.objects.create(session=w1, user=t1)
    Registration.objects.create(session=w1, user=t2)
    Registration.objects.create(session=w1, user=t3, status=Registration.Status.CANCELLED)
    Attendance.objects.create(session=w1, user=t1, method=Attendance.Method.LIST)
    w2 = TrainingSession.objects.create(
        kind=TrainingSession.Kind.WORKSHOP,
        title="全國研習",
        starts_at=at(2026, 3, 7, 9),
        ends_at=at(2026, 3, 7, 11),
        hours=Decimal("2"),
    )
    Registration.objects.create(session=w2, user=t3)
    Attendance.objects.create(session=w2, user=t3, method=Attendance.Method.CODE)
    Attendance.objects.create(session=w2, user=t4, method=Attendance.Method.CSV)
    c1 = TrainingSession.objects.create(
        kind=TrainingSession.Kind.COMMUNITY,
        title="社群聚會",
        starts_at=at(2026, 3, 20, 19),
        ends_at=at(2026, 3, 20, 21),
        hours=Decimal("2"),
    )
    Attendance.objects.create(session=c1, user=t1, method=Attendance.Method.CODE)

    return SimpleNamespace(**locals())
