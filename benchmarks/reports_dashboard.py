"""Benchmark: the report dashboard's aggregations and the four exports on a national-scale data set (PostgreSQL).

Usage (from the repository root; PostgreSQL running):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench .venv/bin/python benchmarks/reports_dashboard.py
    … --teachers 50000        # a smaller data set (default 200,000 teachers, as in issue 8)
    … --explain               # EXPLAIN ANALYZE of the three slowest dashboard queries
    … --database lms_h2_bench # keep the data set in this database rather than ``test_<name>``
    … --no-worker             # leave out the Excel exports as tasks (built by a `manage.py db_worker`)

The data set is built once, by bulk inserts, in the test database ``test_<name>`` or the one ``--database``
names (kept between runs, and topped up when a larger one is asked for): 20 courses of 8 modules, two enrolments
per teacher (half of them completed), three module-progress rows per enrolment, one first H5P attempt per
enrolment, one certificate per teacher across three programmes, 1,000 workshops and one attendance per teacher, over
2025–2026. Each chart of the administrator's dashboard and each export (read to its last row) is then timed three
times; the median is shown. Then each Excel export is asked for as in the admin and built by one `db_worker`:
time from the request to "done" (and how much of it the task waited in the queue), the worker's CPU time and
its peak memory.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
COURSES = 20
MODULES_PER_COURSE = 8
BATCH = 5000


def report(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def setup_django(database=None):
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the figures are for the production database.")
    if database:
        connection.settings_dict["TEST"]["NAME"] = database
    connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)


def build_site():
    from wagtail.models import Locale, Page

    from certification.models import CertificationProgramme
    from courses.models import CourseIndexPage, CoursePage, ModulePage
    from home.models import HomePage

    index = CourseIndexPage.objects.first()
    if index is None:
        locale, _created = Locale.objects.get_or_create(language_code="zh-hant")
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="首頁", hero_title="首頁", slug="bench-home", locale=locale)
        )
        index = home.add_child(instance=CourseIndexPage(title="課程", slug="courses"))
        for number in range(COURSES):
            course = index.add_child(
                instance=CoursePage(
                    title=f"課程 {number}",
                    slug=f"course-{number}",
                    summary="…",
                    competency_area="concepts",
                    level="beginner",
                    study_hours=6,
                )
            )
            for module in range(MODULES_PER_COURSE):
                course.add_child(instance=ModulePage(title=f"單元 {module}", slug=f"module-{module}"))
        for number, (zh, en) in enumerate([("初階", "Beginner"), ("進階", "Advanced"), ("社群", "Community")]):
            CertificationProgramme.objects.create(name_zh=zh, name_en=en, slug=f"bench-{number}", sort_order=number)
    return list(CoursePage.objects.all()), list(ModulePage.objects.order_by("path")), index


def seed(teachers):
    """Top the data set up to ``teachers`` teachers; returns how many were added."""
    from accounts.choices import County, SchoolLevel
    from accounts.models import TeacherProfile, User
    from certification.models import Certificate, CertificationProgramme
    from courses.models import Attendance, Enrolment, H5PAttempt, H5PPackage, ModuleProgress, TrainingSession

    courses, modules, _index = build_site()
    programmes = list(CertificationProgramme.objects.all())
    package, _created = H5PPackage.objects.get_or_create(
        content_hash="0" * 64,
        defaults={
            "title": "測驗",
            "main_library": "H5P.MultiChoice",
            "main_library_version": "1.16",
            "storage_prefix": "h5p/bench/",
            "size_bytes": 1,
            "file_count": 1,
            "original_filename": "bench.h5p",
        },
    )
    if not TrainingSession.objects.exists():
        from datetime import datetime, timedelta

        from django.utils import timezone

        start = timezone.make_aware(datetime(2025, 1, 6, 9))
        TrainingSession.objects.bulk_create(
            TrainingSession(
                kind="workshop" if number % 4 else "community",
                title=f"研習 {number}",
                starts_at=start + timedelta(hours=17 * number),
                ends_at=start + timedelta(hours=17 * number + 3),
                hours=3,
                capacity=300,
            )
            for number in range(1000)
        )
    sessions = list(TrainingSession.objects.values_list("pk", flat=True))
    existing = User.objects.filter(username__startswith="bench").count()
    counties, levels = County.values, SchoolLevel.values
    modules_of = {course.pk: [m for m in modules if m.path.startswith(course.path)] for course in courses}
    started = time.perf_counter()
    for first in range(existing, teachers, BATCH):
        numbers = range(first, min(first + BATCH, teachers))
        users = User.objects.bulk_create(
            User(username=f"bench{n}", email=f"bench{n}@school.example.tw") for n in numbers
        )
        TeacherProfile.objects.bulk_create(
            TeacherProfile(
                user=user, name_zh="林老師", name_en="Lin", county=counties[n % 22], school_level=levels[n % 4]
            )
            for n, user in zip(numbers, users, strict=True)
        )
        enrolments = []
        for n, user in zip(numbers, users, strict=True):
            for offset in (0, 7):
                course = courses[(n + offset) % len(courses)]
                enrolments.append(Enrolment(user=user, course=course, progress_percent=50))
        Enrolment.objects.bulk_create(enrolments)
        ModuleProgress.objects.bulk_create(
            ModuleProgress(
                user_id=enrolment.user_id,
                module=module,
                course_id=enrolment.course_id,
                status="completed" if step < 2 else "in_progress",
            )
            for enrolment in enrolments
            for step, module in enumerate(modules_of[enrolment.course_id][:3])
        )
        H5PAttempt.objects.bulk_create(
            H5PAttempt(
                user_id=enrolment.user_id,
                module=modules_of[enrolment.course_id][0],
                package=package,
                number=1,
                success=bool(enrolment.user_id % 3),
            )
            for enrolment in enrolments
        )
        Certificate.objects.bulk_create(
            Certificate(
                user=user,
                programme=programmes[n % len(programmes)],
                status="issued" if n % 50 else "revoked",
                revoked_at=None if n % 50 else users[0].date_joined,
                is_current=bool(n % 50),
                origin="bulk",
                public_id=f"bench{n:027d}",
                verification_code=f"B{n:012d}",
                serial=f"IE-BENCH-{n:07d}",
                holder_name_zh="林老師",
                holder_name_en="Lin",
                county=counties[n % 22],
                programme_name_zh="初階",
                programme_name_en="Beginner",
                hours=12,
                issued_on="2025-01-01",
            )
            for n, user in zip(numbers, users, strict=True)
        )
        Attendance.objects.bulk_create(
            Attendance(session_id=sessions[n % len(sessions)], user=user, method="csv")
            for n, user in zip(numbers, users, strict=True)
        )
        report(f"  {min(first + BATCH, teachers):,} teachers ({time.perf_counter() - started:.0f} s)")
    spread_dates()
    return max(teachers - existing, 0)


def spread_dates():
    """Dates over 2025–2026, from each row's id (bulk inserts give every row the same auto_now_add time)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE courses_enrolment SET enrolled_at = timestamptz '2025-01-01' + (id % 700) * interval '1 day', "
            "completed_at = CASE WHEN id % 2 = 0 THEN timestamptz '2025-01-01' + (id % 700 + 20) * interval '1 day' "
            "END"
        )
        cursor.execute(
            "UPDATE courses_h5pattempt SET started_at = timestamptz '2025-01-01' + (id % 700) * interval '1 day'"
        )
        cursor.execute("UPDATE certification_certificate SET issued_on = date '2025-01-01' + (id % 700)::integer")
        cursor.execute("ANALYZE")


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def time_excel_tasks(requester, filters):
    """Each Excel export as the admin asks for it: a ReportExport enqueued in the database queue and built by one
    ``manage.py db_worker`` (production settings, a process of its own); time from the request to "done", the
    worker's CPU time and its peak memory after each."""
    import subprocess

    from django.db import connection, transaction
    from django.test.utils import override_settings

    from reports.export_jobs import request_export
    from reports.exports import EXPORTS
    from reports.models import ReportExport

    database = connection.settings_dict
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key-benchmark-only-secret-key"),
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", str(BASE_DIR / "var" / "benchmark-media")),
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
        f"{database['NAME']}",
    }
    override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}).enable()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    clock_ticks = os.sysconf("SC_CLK_TCK")

    def worker_cpu_seconds():
        fields = Path(f"/proc/{worker.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / clock_ticks  # utime + stime

    report(
        "\n| Excel export as a task (one db_worker) | rows | request to done s | of which queued s | worker CPU s "
        "| worker peak RSS MiB |"
    )
    report("| --- | ---: | ---: | ---: | ---: | ---: |")
    try:
        time.sleep(10)  # the worker's start-up (Django, Wagtail) is not part of any export
        for export in EXPORTS.values():
            cpu_before = worker_cpu_seconds()
            started = time.perf_counter()
            with transaction.atomic():
                job = request_export(requester, export, filters)
            while job.status in (ReportExport.Status.QUEUED, ReportExport.Status.RUNNING):
                if worker.poll() is not None:
                    sys.exit("The db_worker stopped.")
                time.sleep(0.2)
                job.refresh_from_db()
            seconds = time.perf_counter() - started
            if job.status != ReportExport.Status.DONE:
                sys.exit(f"The export {export.slug} failed: {job.error}")
            report(
                f"| {export.slug} | {job.row_count:,} | {seconds:.1f} | "
                f"{(job.started_at - job.created_at).total_seconds():.1f} | {worker_cpu_seconds() - cpu_before:.1f} | "
                f"{peak_rss_mib(worker.pid):.0f} |"
            )
            workbook = Path(environment["MEDIA_ROOT"]) / job.file.name
            workbook.unlink()
            workbook.parent.rmdir()
    finally:
        worker.terminate()
        worker.wait()


def median_seconds(function, runs=3):
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teachers", type=int, default=200_000)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--database", help="the database that keeps the data set (default: test_<name>)")
    parser.add_argument("--no-worker", action="store_true", help="leave out the Excel exports run by a db_worker")
    arguments = parser.parse_args()
    setup_django(arguments.database)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from reports import statistics as report_statistics
    from reports.exports import EXPORTS
    from reports.filters import ReportFilters
    from reports.scope import ReportScope

    report(f"Building the data set ({arguments.teachers:,} teachers)…")
    seed(arguments.teachers)
    administrator, _created = User.objects.get_or_create(
        username="bench-admin", defaults={"email": "bench-admin@example.tw", "is_superuser": True}
    )
    scope = ReportScope.for_user(administrator)
    import datetime

    filters = ReportFilters(first_day=datetime.date(2025, 1, 1), last_day=datetime.date(2026, 12, 31))
    charts = [
        report_statistics.enrolments_and_completions,
        report_statistics.certificates_per_programme,
        report_statistics.certificates_by_county,
        report_statistics.certificates_by_school_level,
        report_statistics.course_funnel,
        report_statistics.where_learners_stop,
        report_statistics.h5p_difficulty,
        report_statistics.workshop_attendance,
    ]
    report(f"\n| chart or export ({arguments.teachers:,} teachers, 2025–2026) | queries | median s |")
    report("| --- | ---: | ---: |")
    slowest = []
    for chart in charts:
        with CaptureQueriesContext(connection) as queries:
            chart(scope, filters)
        slowest += [(float(query["time"]), query["sql"]) for query in queries.captured_queries]
        report(f"| {chart.__name__} | {len(queries)} | {median_seconds(lambda c=chart: c(scope, filters)):.2f} |")
    for export in EXPORTS.values():
        with CaptureQueriesContext(connection) as queries:
            rows = sum(1 for _row in export.rows(scope, filters))
        seconds = median_seconds(lambda e=export: sum(1 for _row in e.rows(scope, filters)))
        report(f"| export {export.slug} ({rows:,} rows) | {len(queries)} | {seconds:.2f} |")
    if not arguments.no_worker:
        time_excel_tasks(administrator, filters)
    if arguments.explain:
        for _seconds, sql in sorted(slowest, reverse=True)[:3]:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + sql)
                report("\n" + sql[:300] + "…\n" + "\n".join(line for (line,) in cursor.fetchall()))


if __name__ == "__main__":
    main()
