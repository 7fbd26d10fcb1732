"""Issuing under real concurrency, on PostgreSQL (SQLite serialises writers, so it cannot show a race).

Run with ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_certification .venv/bin/pytest tests/certification``.
"""

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection, connections

from certification.automation import act_on_eligibility
from certification.issuing import issue_certificate
from certification.models import Certificate, SerialCounter
from tests.certification.factories import ProgrammeFactory, TeacherFactory, complete_course

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL=postgres://…"),
    pytest.mark.django_db(transaction=True),
]


def in_parallel(function, arguments, workers=8):
    """Run ``function`` over ``arguments`` from several threads released together, each with its own connection."""
    barrier = threading.Barrier(min(workers, len(arguments)))

    def run(argument):
        try:
            try:
                barrier.wait(timeout=30)
            except threading.BrokenBarrierError:
                pass
            return function(argument)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, arguments))


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
    from tests.certification.factories import CourseIndexPageFactory, CoursePageFactory

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
    database = settings.DATABASES["default"]
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.certification.registry.worker_settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "MEDIA_ROOT": str(media_root),
        "PKI_ROOT": str(platform_pki),
        "CERTIFICATE_SIGNING_PASSPHRASE": settings.CERTIFICATE_SIGNING_PASSPHRASE,
    }
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
