"""The admin pages: who may open them, what they show, how they answer bad filters, and their query counts."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.users.models import UserProfile

from accounts.models import TeacherProfile, User
from certification.models import Certificate
from courses.models import Attendance, Enrolment, H5PAttempt, ModuleProgress, Registration
from lms.roles import sync_roles

from .conftest import FIRST_QUARTER
from .factories import at, staff

pytestmark = pytest.mark.django_db

DASHBOARD = "reports:dashboard"
EXPORTS = "reports:exports"


def open_as(client, user, name=DASHBOARD, params=None):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client.get(reverse(name), FIRST_QUARTER if params is None else params)


def test_an_administrator_sees_every_chart_with_its_data_table(client, world):
    response = open_as(client, world.administrator)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('role="img"') == 8
    assert page.count("<details") == 8
    for title in (
        "Enrolments and completions per month",
        "Certificates issued per programme per month",
        "Valid certificates by county/city",
        "Valid certificates by school level",
        "Course funnel: enrolled, started, completed",
        "Where learners stop: 國際教育概論",
        "H5P item difficulty: correct first attempts",
        "Workshop attendance against capacity",
    ):
        assert title in page
    assert "Showing 2026-01-01 to 2026-03-31." in page


def test_a_superuser_sees_everything(client, world):
    superuser = staff("root@ie-academy.tw", is_superuser=True, is_staff=True)
    page = open_as(client, superuser).content.decode()
    assert "Valid certificates by county/city" in page
    assert "課程設計" in page


def test_a_trainer_sees_their_courses_and_no_certificates(client, world):
    response = open_as(client, world.trainer)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('role="img"') == 5
    assert "certificates" not in page.lower().replace("download these figures", "")
    assert "國際教育概論" in page
    assert "課程設計" not in page
    assert "全國研習" not in page


def test_a_trainer_cannot_choose_a_course_they_do_not_train(client, world):
    response = open_as(client, world.trainer, params={**FIRST_QUARTER, "course": world.course_b.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_teachers_see_nothing(client, world):
    client.force_login(world.t1)
    for name in (DASHBOARD, EXPORTS):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert b"Enrolments" not in response.content
    response = client.get(reverse("reports:export", args=["hours-per-teacher", "csv"]))
    assert response.status_code == 302
    assert not response.streaming


def test_staff_without_a_report_permission_are_refused(client, world):
    editor = staff("editor@ie-academy.tw", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for name in (DASHBOARD, EXPORTS):
        response = open_as(client, editor, name)
        # The admin turns a refusal into a message on its home page.
        assert response.status_code == 302
        assert response["Location"] == "/admin/"


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, world):
    world.administrator.authenticator_set.all().delete()
    client.force_login(world.administrator)
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 302
    assert "mfa" in response["Location"]


def test_the_admin_home_shows_the_enrolments_panel_to_report_readers_only(client, world):
    assert "reports-summary" in open_as(client, world.trainer, "wagtailadmin_home", params={}).content.decode()
    editor = staff("editor@ie-academy.tw", is_staff=True, is_superuser=False)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert "reports-summary" not in open_as(client, editor, "wagtailadmin_home", params={}).content.decode()


def test_the_reports_menu_lists_the_dashboard_and_exports(client, world):
    page = open_as(client, world.trainer, "wagtailadmin_home", params={}).content.decode()
    assert reverse(DASHBOARD) in page
    assert reverse(EXPORTS) in page


def test_the_exports_page_offers_what_the_viewer_may_download(client, world):
    administrator_page = open_as(client, world.administrator, EXPORTS).content.decode()
    trainer_page = open_as(client, world.trainer, EXPORTS).content.decode()
    registry = reverse("reports:export", args=["certificate-registry", "xlsx"])
    assert registry in administrator_page
    assert registry not in trainer_page
    assert reverse("reports:export", args=["hours-per-teacher", "csv"]) + "?date_from=2026-01-01" in trainer_page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"date_from": "2026-04-01", "date_to": "2026-03-01"},
            "The start of the date range must not be after its end.",
        ),
        ({"date_from": "2026-13-45"}, "Enter a valid date."),
        ({"date_from": "'; DROP TABLE accounts_user; --"}, "Enter a valid date."),
        ({"date_from": "1999-12-31", "date_to": "2000-02-01"}, "Choose dates from 2000 onwards."),
        ({"date_from": "2010-01-01", "date_to": "2026-01-01"}, "Choose a date range of at most ten years."),
        ({"programme": "not-a-number"}, "Select a valid choice"),
        ({"programme": "999999"}, "Select a valid choice"),
        ({"county": "atlantis"}, "Select a valid choice"),
        ({"school_level": "university"}, "Select a valid choice"),
    ],
)
def test_bad_filters_get_a_clear_error_and_no_charts(client, world, params, message):
    response = open_as(client, world.administrator, params=params)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'role="img"' not in page


def test_no_filters_mean_the_last_twelve_months(client, world):
    response = open_as(client, world.administrator, params={})
    assert response.status_code == 200
    first_day = response.context["filters"].first_day
    assert first_day.day == 1
    assert len(response.context["filters"].months()) == 12


def test_filters_carry_over_to_the_exports_page(client, world):
    params = {**FIRST_QUARTER, "county": "taipei_city", "programme": world.beginner.pk}
    page = open_as(client, world.administrator, params=params).content.decode()
    assert (
        f"?date_from=2026-01-01&amp;date_to=2026-03-31&amp;programme={world.beginner.pk}&amp;county=taipei_city"
        in page
    )


_emails = itertools.count(1000)


def add_teachers(world, count):
    """``count`` more teachers, each enrolled, progressing, attempting, attending and certified: bulk inserts."""
    numbers = [next(_emails) for _ in range(count)]
    users = User.objects.bulk_create(
        [User(username=f"bulk{n}@school.example.tw", email=f"bulk{n}@school.example.tw") for n in numbers]
    )
    counties = ["taipei_city", "kaohsiung_city", "hualien_county"]
    TeacherProfile.objects.bulk_create(
        [
            TeacherProfile(
                user=user, name_zh="林老師", name_en="Teacher Lin", county=counties[i % 3], school_level="elementary"
            )
            for i, user in enumerate(users)
        ]
    )
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(user=user, course=world.course_a, completed_at=at(2026, 2, 1) if i % 2 else None)
            for i, user in enumerate(users)
        ]
    )
    Enrolment.objects.filter(pk__in=[enrolment.pk for enrolment in enrolments]).update(enrolled_at=at(2026, 1, 15))
    ModuleProgress.objects.bulk_create(
        [ModuleProgress(user=user, module=world.a1, course=world.course_a, status="completed") for user in users]
    )
    H5PAttempt.objects.bulk_create(
        [
            H5PAttempt(user=user, module=world.a1, package=world.quiz, number=1, success=bool(i % 3))
            for i, user in enumerate(users)
        ]
    )
    H5PAttempt.objects.filter(user__in=users).update(started_at=at(2026, 1, 16))
    Registration.objects.bulk_create([Registration(session=world.w1, user=user) for user in users])
    Attendance.objects.bulk_create([Attendance(session=world.w2, user=user, method="csv") for user in users])
    Certificate.objects.bulk_create(
        [
            Certificate(
                user=user,
                programme=world.beginner,
                status=Certificate.Status.ISSUED,
                origin=Certificate.Origin.BULK,
                public_id=f"bulk{n:028d}",
                verification_code=f"BULK{n:09d}",
                serial=f"IE-2026-{n:06d}",
                holder_name_zh="林老師",
                holder_name_en="Teacher Lin",
                county=counties[i % 3],
                programme_name_zh="初階",
                programme_name_en="Beginner",
                hours=Decimal("12"),
                issued_on=datetime.date(2026, 2, 2),
            )
            for i, (n, user) in enumerate(zip(numbers, users, strict=True))
        ]
    )


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def report_urls(viewer):
    urls = [
        reverse(DASHBOARD),
        reverse(EXPORTS),
        reverse("reports:export", args=["learner-progress", "csv"]),
        reverse("reports:export", args=["attendance", "csv"]),
        reverse("reports:export", args=["hours-per-teacher", "csv"]),
        reverse("wagtailadmin_home"),
    ]
    if viewer == "administrator":
        urls.append(reverse("reports:export", args=["certificate-registry", "csv"]))
    return urls


@pytest.mark.parametrize("viewer", ["administrator", "trainer"])
def test_query_count_does_not_grow_from_ten_to_a_thousand_teachers(client, world, viewer):
    user = getattr(world, viewer)
    urls = report_urls(viewer)
    add_teachers(world, 6)  # ten teachers with the four of the known world
    client.force_login(user)
    for url in urls:  # first-visit work (sessions, profiles, site and locale lookups) that is not repeated
        count_queries(client, url, FIRST_QUARTER)
    with_ten = {url: count_queries(client, url, FIRST_QUARTER) for url in urls}
    add_teachers(world, 990)
    with_a_thousand = {url: count_queries(client, url, FIRST_QUARTER) for url in urls}
    assert with_a_thousand == with_ten
    assert max(with_ten.values()) <= 40


def test_the_staff_roles_hold_their_report_permission_after_every_migrate(db):
    sync_roles()
    granted = {
        group.name: set(group.permissions.filter(content_type__app_label="reports").values_list("codename", flat=True))
        for group in Group.objects.filter(name__in=["Trainers", "Certification administrators"])
    }
    assert granted == {"Trainers": {"view_course_reports"}, "Certification administrators": {"view_all_reports"}}
