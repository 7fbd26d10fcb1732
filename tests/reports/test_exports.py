"""The four exports, as an administrator and a trainer download them, read back from CSV and from Excel."""

import csv
import io
from urllib.parse import urlencode

import openpyxl
import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from accounts.models import TeacherProfile
from reports.models import ReportExport

from .conftest import FIRST_QUARTER

pytestmark = pytest.mark.django_db

PROFILE_HEADERS = ["Name in Chinese", "Name in English", "School", "County/city", "School level"]


def in_english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def download(client, user, slug, file_format, **params):
    in_english(user)
    client.force_login(user)
    return client.get(reverse("reports:export", args=[slug, file_format]), {**FIRST_QUARTER, **params})


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def excel(client, user, slug, **params):
    """Ask for an Excel export as the admin's button does; the task runs when the request's transaction commits."""
    in_english(user)
    client.force_login(user)
    url = reverse("reports:export", args=[slug, "xlsx"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"{url}?{urlencode({**FIRST_QUARTER, **params})}")
    assert response.status_code == 302
    job = ReportExport.objects.filter(requested_by=user).latest("pk")
    assert job.status == ReportExport.Status.DONE, job.error
    return client.get(reverse("reports:download_export", args=[job.pk]))


def test_hours_per_teacher_for_an_administrator(client, world):
    rows = csv_rows(download(client, world.administrator, "hours-per-teacher", "csv"))
    assert rows[0] == [
        "E-mail address",
        *PROFILE_HEADERS,
        "Online course hours",
        "Workshop hours",
        "Community sessions",
        "Community session hours",
        "Total study hours",
    ]
    hours = {row[0]: row[6:] for row in rows[1:]}
    # t1: courses A (6 h) and B (4 h), the first workshop (3 h), one community session (2 h).
    # t3: the second workshop (2 h). t4: course B completed in January (4 h), the second workshop (2 h).
    # t2 earned nothing in the quarter and is not listed.
    assert hours == {
        "t1@school.example.tw": ["10.0", "3.0", "1", "2.0", "15.0"],
        "t3@school.example.tw": ["0.0", "2.0", "0", "0.0", "2.0"],
        "t4@school.example.tw": ["4.0", "2.0", "0", "0.0", "6.0"],
    }
    assert rows[1][1:6] == ["陳老師", "Teacher Chen", "測試國小", "Taipei City", "Elementary school"]


def test_hours_per_teacher_for_a_trainer_count_only_their_courses_and_sessions(client, world):
    rows = xlsx_rows(excel(client, world.trainer, "hours-per-teacher"))
    assert rows[1:] == [
        [
            "t1@school.example.tw",
            "陳老師",
            "Teacher Chen",
            "測試國小",
            "Taipei City",
            "Elementary school",
            6,
            3,
            0,
            0,
            9,
        ]
    ]


def test_hours_per_teacher_filtered_by_county(client, world):
    rows = csv_rows(download(client, world.administrator, "hours-per-teacher", "csv", county="tainan_city"))
    assert [row[0] for row in rows[1:]] == ["t3@school.example.tw"]


def test_learner_progress_in_excel(client, world):
    rows = xlsx_rows(excel(client, world.administrator, "learner-progress"))
    assert rows[0] == [
        "Course",
        "E-mail address",
        *PROFILE_HEADERS,
        "Status",
        "Enrolled at",
        "Modules completed",
        "of which only reported by the activity",
        "Progress (%)",
        "Completed at",
    ]
    summary = [(row[0], row[1], row[7], row[8].date().isoformat(), row[9], row[10], row[11]) for row in rows[1:]]
    assert summary == [
        ("國際教育概論", "t1@school.example.tw", "Active", "2026-01-10", 3, 1, 100),
        ("國際教育概論", "t2@school.example.tw", "Active", "2026-01-20", 1, 0, 0),
        ("國際教育概論", "t3@school.example.tw", "Active", "2026-02-03", 0, 0, 0),
        ("課程設計", "t1@school.example.tw", "Active", "2026-03-01", 2, 0, 100),
        ("課程設計", "t2@school.example.tw", "Active", "2026-03-02", 0, 0, 0),
    ]
    # Local time of Taipei, without a zone, as spreadsheets expect.
    assert rows[1][8].hour == 10 and rows[1][8].tzinfo is None
    assert rows[1][12].isoformat() == "2026-02-05T10:00:00"
    assert rows[2][12] is None


def test_learner_progress_as_csv_for_a_trainer(client, world):
    rows = csv_rows(download(client, world.trainer, "learner-progress", "csv"))
    assert [(row[0], row[1], row[8], row[12]) for row in rows[1:]] == [
        ("國際教育概論", "t1@school.example.tw", "2026-01-10 10:00:00", "2026-02-05 10:00:00"),
        ("國際教育概論", "t2@school.example.tw", "2026-01-20 10:00:00", ""),
        ("國際教育概論", "t3@school.example.tw", "2026-02-03 10:00:00", ""),
    ]


def test_the_certificate_registry(client, world):
    rows = csv_rows(download(client, world.administrator, "certificate-registry", "csv"))
    assert rows[0][:3] == ["Serial number", "Status", "Holder name in Chinese"]
    registry = [(row[1], row[4], row[6], row[7], row[9], row[12], row[14] != "") for row in rows[1:]]
    # In order of issue; the pending certificate is not in the registry, the revoked one is.
    assert registry == [
        ("Issued", "t1@school.example.tw", "Taipei City", "Elementary school", "Beginner", "2026-02-10", False),
        ("Issued", "t3@school.example.tw", "Tainan City", "Elementary school", "Beginner", "2026-02-20", False),
        ("Revoked", "t2@school.example.tw", "Taipei City", "Junior high school", "Advanced", "2026-03-05", True),
        ("Issued", "t4@school.example.tw", "", "Senior high school", "Beginner", "2026-03-10", False),
    ]
    assert all(row[0].startswith("IE-2026-") for row in rows[1:])


def test_the_certificate_registry_is_not_for_trainers(client, world):
    url = reverse("reports:export", args=["certificate-registry", "xlsx"])
    for response in (
        download(client, world.trainer, "certificate-registry", "csv"),
        client.post(f"{url}?{urlencode(FIRST_QUARTER)}"),
    ):
        # The admin turns a refusal into a message on its home page.
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
        assert not response.streaming
    assert not ReportExport.objects.exists()


def test_attendance_of_workshops_and_community_sessions(client, world):
    rows = xlsx_rows(excel(client, world.administrator, "attendance"))
    assert rows[0][:5] == ["Kind", "Session", "Starts at", "Hours", "E-mail address"]
    assert [(row[0], row[1], row[3], row[4], row[10]) for row in rows[1:]] == [
        ("Workshop", "跨文化教學工作坊", 3, "t1@school.example.tw", "Ticked on the list"),
        ("Workshop", "全國研習", 2, "t3@school.example.tw", "Check-in code"),
        ("Workshop", "全國研習", 2, "t4@school.example.tw", "CSV upload"),
        ("Community session", "社群聚會", 2, "t1@school.example.tw", "Check-in code"),
    ]


def test_attendance_for_a_trainer_is_their_workshop_only(client, world):
    rows = csv_rows(download(client, world.trainer, "attendance", "csv"))
    assert [(row[1], row[4]) for row in rows[1:]] == [("跨文化教學工作坊", "t1@school.example.tw")]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_text_that_a_spreadsheet_would_run_is_neutralised(client, world, file_format):
    TeacherProfile.objects.filter(user=world.t1).update(
        name_zh='=HYPERLINK("http://evil.example","點我")', name_en="+1+1", school="@SUM(A1)"
    )
    TeacherProfile.objects.filter(user=world.t3).update(name_zh="-2+3", name_en="\tTab", school="\rReturn")
    if file_format == "csv":
        rows = csv_rows(download(client, world.administrator, "hours-per-teacher", "csv"))
    else:
        rows = xlsx_rows(excel(client, world.administrator, "hours-per-teacher"))
    by_email = {row[0]: row for row in rows[1:]}
    assert by_email["t1@school.example.tw"][1:4] == [
        '\'=HYPERLINK("http://evil.example","點我")',
        "'+1+1",
        "'@SUM(A1)",
    ]
    assert by_email["t3@school.example.tw"][1:4] == ["'-2+3", "'\tTab", "'\rReturn"]
    # Numbers stay numbers.
    assert by_email["t4@school.example.tw"][6] in ("4.0", 4)


def test_headers_follow_the_users_language(client, world):
    client.force_login(world.administrator)
    response = client.get(reverse("reports:export", args=["hours-per-teacher", "csv"]), FIRST_QUARTER)
    header = csv_rows(response)[0]
    assert header[0] == "電子郵件地址"
    assert "研習時數" in "".join(header) or "時數" in header[-1]


def test_unknown_reports_and_formats_are_not_found(client, world):
    assert download(client, world.administrator, "passwords", "csv").status_code == 404
    assert download(client, world.administrator, "hours-per-teacher", "pdf").status_code == 404


def test_a_bad_filter_on_an_export_shows_the_error_instead_of_a_file(client, world):
    response = download(client, world.administrator, "hours-per-teacher", "csv", date_from="2026-04-01")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "The start of the date range must not be after its end." in response.content.decode()


def test_a_streamed_export_keeps_the_requests_language_to_the_last_row(client, world):
    response = download(client, world.administrator, "certificate-registry", "csv")
    with translation.override("zh-hant"):  # whatever language is active when the server sends the rows
        rows = csv_rows(response)
    assert rows[0][1] == "Status"
    assert [row[1] for row in rows[1:]] == ["Issued", "Issued", "Revoked", "Issued"]
    assert rows[1][6] == "Taipei City"
