"""Excel exports as background jobs: asked for, built by a task, listed, downloaded by the owner only, cleaned up."""

import datetime
import io
from urllib.parse import urlencode

import openpyxl
import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from reports.export_jobs import build_export
from reports.models import ReportExport
from reports.tasks import build_report_export

from .conftest import FIRST_QUARTER
from .factories import staff
from .test_exports import in_english

pytestmark = pytest.mark.django_db

EXPORTS = "reports:exports"


def ask(client, user, slug="hours-per-teacher", run=True, **params):
    """Press "Excel" as ``user``; with ``run`` the task runs as the transaction commits (the immediate backend)."""
    in_english(user)
    client.force_login(user)
    url = reverse("reports:export", args=[slug, "xlsx"])
    with TestCase.captureOnCommitCallbacks(execute=run):
        return client.post(f"{url}?{urlencode({**FIRST_QUARTER, **params})}")


def queued(user, slug="hours-per-teacher", **filters):
    """An export recorded but not yet run, as the database queue leaves it until a worker picks it up."""
    return ReportExport.objects.create(
        requested_by=user, report=slug, filters={**FIRST_QUARTER, **filters}, language="en"
    )


def rows_of(response):
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def download_url(job):
    return reverse("reports:download_export", args=[job.pk])


def test_asking_records_the_export_enqueues_it_and_says_it_is_being_prepared(client, world):
    response = ask(client, world.administrator, run=False, county="taipei_city")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse(EXPORTS)}?date_from=2026-01-01&date_to=2026-03-31&county=taipei_city"
    job = ReportExport.objects.get()
    assert (job.requested_by, job.report, job.status) == (world.administrator, "hours-per-teacher", "queued")
    assert job.filters == {**FIRST_QUARTER, "county": "taipei_city"}
    assert job.language == "en"
    page = client.get(response["Location"]).content.decode()
    assert "is being prepared as an Excel file" in page
    assert "Queued" in page
    assert download_url(job) not in page


def test_the_task_takes_a_queued_export_to_done_with_its_rows_and_file(client, world):
    job = queued(world.administrator)
    before = timezone.now()
    assert build_report_export.enqueue(job.pk).return_value == "done"
    job.refresh_from_db()
    assert job.status == "done"
    assert job.row_count == 3  # t1, t3 and t4 earned hours in the quarter
    assert before <= job.started_at <= job.finished_at
    assert job.error == ""
    assert job.file.name.startswith("report-exports/")
    assert job.file.name.endswith("/hours-per-teacher_20260101-20260331.xlsx")
    # Run twice (a worker retried it): nothing is built again.
    name = job.file.name
    assert build_export(job.pk) == "done"
    job.refresh_from_db()
    assert job.file.name == name


def test_the_owner_downloads_the_file_with_its_name_and_type(client, world):
    ask(client, world.administrator)
    job = ReportExport.objects.get()
    page = client.get(reverse(EXPORTS), FIRST_QUARTER).content.decode()
    assert "Ready" in page and download_url(job) in page
    response = client.get(download_url(job))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="hours-per-teacher_20260101-20260331.xlsx"'
    rows = rows_of(response)
    assert rows[0][0] == "E-mail address"
    assert [row[0] for row in rows[1:]] == ["t1@school.example.tw", "t3@school.example.tw", "t4@school.example.tw"]
    assert [row[-1] for row in rows[1:]] == [15, 2, 6]


def test_the_requesters_scope_is_applied_when_the_task_runs(client, world):
    ask(client, world.trainer, "attendance")
    rows = rows_of(client.get(download_url(ReportExport.objects.get())))
    # The trainer's workshop only, not the national one nor the community session.
    assert [(row[1], row[4]) for row in rows[1:]] == [("跨文化教學工作坊", "t1@school.example.tw")]


def test_a_trainer_who_lost_the_role_before_the_task_ran_gets_a_failure_not_a_file(client, world):
    job = queued(world.trainer, "learner-progress")
    world.trainer.groups.clear()
    assert build_export(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == "You may no longer see the reports."
    assert not job.file and job.finished_at is not None


def test_tampered_filters_fail_the_export_with_the_reason(client, world):
    # Filters are validated again at run time: a course the trainer does not train, a county that does not exist.
    job = queued(world.trainer, "learner-progress", course=str(world.course_b.pk), county="atlantis")
    assert build_export(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error.startswith("The filters are not valid:")
    assert "Select a valid choice" in job.error
    assert not job.file


def test_a_trainer_cannot_smuggle_in_the_certificate_registry(client, world):
    job = queued(world.trainer, "certificate-registry")
    assert build_export(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == "This report is not available to you."
    unknown = queued(world.administrator, "passwords")
    assert build_export(unknown.pk) == "failed"


def test_a_crash_is_recorded_and_shown_without_a_traceback(client, world):
    # A filter value the form cannot even read: the task must not die with the export left "running".
    job = queued(world.administrator)
    ReportExport.objects.filter(pk=job.pk).update(filters=["not", "a", "mapping"])
    assert build_export(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error.startswith("The export could not be prepared (")
    in_english(world.administrator)
    client.force_login(world.administrator)
    page = client.get(reverse(EXPORTS), FIRST_QUARTER).content.decode()
    assert "Failed" in page and "The export could not be prepared" in page
    assert "Traceback" not in page


def test_an_unknown_or_missing_export_id_is_harmless(world):
    assert build_export(987654) == "missing"


def test_an_export_another_worker_is_building_is_left_alone(world):
    job = queued(world.administrator)
    ReportExport.objects.filter(pk=job.pk).update(status=ReportExport.Status.RUNNING)
    assert build_export(job.pk) == "running"
    job.refresh_from_db()
    assert not job.file and job.started_at is None and job.row_count is None


def test_nobody_downloads_someone_elses_export(client, world):
    ask(client, world.administrator)
    job = ReportExport.objects.get()
    other_trainer = staff("trainer2@ie-academy.tw", "Trainers")
    other_administrator = staff("admin2@ie-academy.tw", "Certification administrators")
    for user in (other_trainer, other_administrator):
        in_english(user)
        client.force_login(user)
        assert client.get(download_url(job)).status_code == 404
        assert download_url(job) not in client.get(reverse(EXPORTS), FIRST_QUARTER).content.decode()
    client.force_login(world.administrator)
    assert client.get(reverse("reports:download_export", args=[job.pk + 1000])).status_code == 404


def test_a_trainers_export_is_theirs_alone(client, world):
    ask(client, world.trainer)
    job = ReportExport.objects.get()
    assert client.get(download_url(job)).status_code == 200
    other_trainer = staff("trainer2@ie-academy.tw", "Trainers")
    in_english(other_trainer)
    client.force_login(other_trainer)
    assert client.get(download_url(job)).status_code == 404


def test_teachers_and_anonymous_visitors_get_no_file(client, world):
    ask(client, world.administrator)
    job = ReportExport.objects.get()
    client.logout()
    response = client.get(download_url(job))
    assert response.status_code == 302
    assert "/login/?next=" in response["Location"] and response["Location"].endswith(download_url(job))
    client.force_login(world.t1)
    response = client.get(download_url(job))
    assert response.status_code == 302
    assert not response.streaming
    own = queued(world.t1)
    build_export(own.pk)  # even an export a teacher somehow recorded is refused to them
    own.refresh_from_db()
    assert own.status == "failed"
    assert client.get(download_url(own)).status_code == 302


def test_an_unfinished_export_cannot_be_downloaded(client, world):
    job = queued(world.administrator)
    client.force_login(world.administrator)
    assert client.get(download_url(job)).status_code == 404


def test_an_export_whose_file_vanished_says_so(client, world):
    ask(client, world.administrator)
    job = ReportExport.objects.get()
    job.file.storage.delete(job.file.name)
    response = client.get(download_url(job), follow=True)
    assert response.redirect_chain[-1][0] == reverse(EXPORTS)
    assert "The file of this export is no longer kept." in response.content.decode()


def test_excel_is_asked_for_with_a_post_not_a_link(client, world):
    in_english(world.administrator)
    client.force_login(world.administrator)
    response = client.get(reverse("reports:export", args=["hours-per-teacher", "xlsx"]), FIRST_QUARTER)
    assert response.status_code == 405
    assert client.post(reverse("reports:export", args=["passwords", "xlsx"])).status_code == 404
    assert client.post(reverse("reports:export", args=["hours-per-teacher", "ods"])).status_code == 404
    client.force_login(world.t1)
    assert ask(client, world.t1).status_code == 302  # a teacher is sent away by the admin
    assert not ReportExport.objects.exists()


def test_bad_filters_record_no_export(client, world):
    response = ask(client, world.administrator, date_from="2026-04-01")
    assert response.status_code == 400
    assert "The start of the date range must not be after its end." in response.content.decode()
    response = ask(client, world.trainer, course=str(world.course_b.pk))
    assert response.status_code == 400
    assert not ReportExport.objects.exists()


def test_old_exports_and_their_files_are_deleted(client, world):
    ask(client, world.administrator)
    ask(client, world.administrator, "attendance")
    old, recent = ReportExport.objects.order_by("pk")
    storage, old_name = old.file.storage, old.file.name
    ReportExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    output = io.StringIO()
    call_command("delete_old_report_exports", stdout=output)
    assert "Deleted 1 report export(s) older than 7 day(s)." in output.getvalue()
    assert list(ReportExport.objects.all()) == [recent]
    assert not storage.exists(old_name)
    assert storage.exists(recent.file.name)
    call_command("delete_old_report_exports", "--days", "0", stdout=output)
    assert not ReportExport.objects.exists()
    assert not storage.exists(recent.file.name)


def test_the_exports_page_lists_the_latest_ten_with_bounded_queries(client, world, django_assert_max_num_queries):
    in_english(world.administrator)
    client.force_login(world.administrator)
    client.get(reverse(EXPORTS), FIRST_QUARTER)  # first-visit work
    for _number in range(3):
        queued(world.administrator)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse(EXPORTS), FIRST_QUARTER)
    for _number in range(30):
        queued(world.administrator, "attendance")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse(EXPORTS), FIRST_QUARTER).content.decode()
    assert page.count("Queued") == 10
