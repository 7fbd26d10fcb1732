"""Issuing under real concurrency, on PostgreSQL (SQLite serialises writers, so it cannot show a race).

Run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_certification .venv/bin/pytest tests/certification``.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, connections

from certification.models import Certificate, SerialCounter
from certification.registry.automation import act_on_eligibility
from certification.registry.issuing import issue_certificate
from tests.certification.factories import ProgrammeFactory, TeacherFactory, complete_course
from tests.postgresql import ON_POSTGRESQL, in_parallel

pytestmark = ON_POSTGRESQL


def worker_environment(settings, media_root, pki_root) -> dict:
    """What a `manage.py db_worker` subprocess needs to work on this test's database, media and keys."""
    database = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.certification.registry.worker_settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "MEDIA_ROOT": str(media_root),
        "PKI_ROOT": str(pki_root),
        "CERTIFICATE_SIGNING_PASSPHRASE": settings.CERTIFICATE_SIGNING_PASSPHRASE,
    }


def test_parallel_issue_gives_unique_gap_free_serials(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # rendering not needed
    programme = ProgrammeFactory()
    teachers = TeacherFactory.create_batch(24)
    certificates = in_parallel(
        lambda user: issue_certificate(user, programme, origin=Certificate.Origin.BULK), teachers, workers=8
    )
    year = certificates[0].issued_on.year
    serials = sorted(certificate.serial for certificate in certificates)
    assert serials == [f"IEA-{year}-{number:06d}" for number in range(1, 25)]
    assert Certificate.objects.count() == 24
    assert SerialCounter.objects.get(year=year).last_number == 24


def test_concurrent_double_issue_gives_exactly_one_certificate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    programme = ProgrammeFactory()
    teacher = TeacherFactory()
    certificates = in_parallel(
        lambda _n: issue_certificate(teacher, programme, origin=Certificate.Origin.MANUAL), range(10), workers=10
    )
    assert len({certificate.pk for certificate in certificates}) == 1
    assert Certificate.objects.filter(user=teacher, programme=programme).count() == 1
    assert SerialCounter.objects.get().last_number == 1


def test_fifty_completion_events_issue_one_certificate(home_page):
    from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory

    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page))
    programme = ProgrammeFactory(required_courses=[course])
    teacher = TeacherFactory()
    complete_course(teacher, course)
    outcomes = in_parallel(lambda _n: act_on_eligibility(teacher), range(50), workers=10)
    assert sum(outcome == [f"issued:{programme.slug}"] for outcome in outcomes) >= 1
    certificate = Certificate.objects.get(user=teacher, programme=programme)
    assert certificate.status == Certificate.Status.ISSUED and certificate.serial.endswith("-000001")


def test_a_real_worker_renders_and_signs_the_queued_certificate(settings, media_root, platform_pki):
    """The task path end to end: the issue enqueues into the database queue, `manage.py db_worker` completes it."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    certificate = issue_certificate(TeacherFactory(), ProgrammeFactory(), origin=Certificate.Origin.MANUAL)
    rendering = DBTaskResult.objects.filter(task_path="certification.tasks.render_and_sign_certificate")
    assert rendering.get().status == "READY"
    environment = worker_environment(settings, media_root, platform_pki)
    connections.close_all()
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--max-tasks", "10"],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr[-3000:]
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED, worker.stderr[-3000:]
    assert (Path(media_root) / certificate.pdf.name).read_bytes().startswith(b"%PDF")
    assert rendering.get().status == "SUCCESSFUL"


DROP_CONNECTION_WHEN_ISSUED = """
CREATE OR REPLACE FUNCTION test_drop_connection_when_issued() RETURNS trigger AS $$
BEGIN
    IF NEW.status = 'issued' THEN
        PERFORM pg_terminate_backend(pg_backend_pid());
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER test_drop_connection_when_issued BEFORE UPDATE ON certification_certificate
    FOR EACH ROW EXECUTE FUNCTION test_drop_connection_when_issued();
"""


def test_a_connection_dropped_while_issuing_leaves_no_half_certificate_and_a_retry_completes(settings, media_root):
    """The database connection dies at the very moment the signed certificate is written: the PDF already
    stored is removed, the certificate stays pending with its serial, and a retry completes it."""
    from django.core.files.storage import default_storage
    from django.db import Error

    from certification.registry.issuing import complete_certificate

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    certificate = issue_certificate(TeacherFactory(), ProgrammeFactory(), origin=Certificate.Origin.MANUAL)
    with connection.cursor() as cursor:
        cursor.execute(DROP_CONNECTION_WHEN_ISSUED)
    try:
        with pytest.raises(Error):
            complete_certificate(certificate.pk)
        connection.close()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER IF EXISTS test_drop_connection_when_issued ON certification_certificate;"
                "DROP FUNCTION IF EXISTS test_drop_connection_when_issued();"
            )
    certificate.refresh_from_db()
    folder = f"certificates/{certificate.issued_on.year}"
    assert certificate.status == Certificate.Status.PENDING and not certificate.pdf
    assert not default_storage.exists(folder) or default_storage.listdir(folder)[1] == []

    completed = complete_certificate(certificate.pk)
    assert completed.status == Certificate.Status.ISSUED and completed.serial == certificate.serial
    assert default_storage.listdir(folder)[1] == [completed.pdf.name.rsplit("/", 1)[1]]


def test_a_worker_killed_during_bulk_issue_loses_nothing(settings, media_root, platform_pki):
    """SIGKILL a worker in the middle of a bulk issue; after `complete_pending_certificates` every teacher holds
    exactly one signed certificate and the serials have no gap."""
    import signal
    import time

    from django.core.management import call_command

    from certification.admin.bulk import start_bulk_issue
    from certification.models import BulkIssue

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    programme = ProgrammeFactory()
    teachers = TeacherFactory.create_batch(30)
    batch = start_bulk_issue(programme, by=None, users=teachers)
    connections.close_all()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.1"],
        cwd=Path(settings.BASE_DIR),
        env=worker_environment(settings, media_root, platform_pki),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while batch.progress()["issued"] < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    progress = BulkIssue.objects.get(pk=batch.pk).progress()
    assert 3 <= progress["issued"] < 30, progress

    call_command("complete_pending_certificates", minutes=0)
    assert BulkIssue.objects.get(pk=batch.pk).progress() == {"issued": 30, "failed": 0, "left": 0, "total": 30}
    certificates = Certificate.objects.filter(programme=programme)
    assert certificates.count() == 30 and not certificates.exclude(status=Certificate.Status.ISSUED).exists()
    assert sorted(certificates.values_list("user_id", flat=True)) == sorted(teacher.pk for teacher in teachers)
    year = certificates.first().issued_on.year
    assert sorted(certificates.values_list("serial", flat=True)) == [f"IEA-{year}-{n:06d}" for n in range(1, 31)]
    stored = sorted(path.name for path in (Path(media_root) / f"certificates/{year}").iterdir())
    assert stored == sorted(Path(name).name for name in certificates.values_list("pdf", flat=True))
