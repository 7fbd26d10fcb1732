"""Benchmark 2: bulk issue through the task queue on PostgreSQL with 2 `db_worker` processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_scale .venv/bin/python benchmarks/bulk_issue.py \
        [--count 10000] [--workers 2] [--keep]

Creates a programme of its own, starts a bulk issue for ``count`` seeded teachers as the admin's bulk issue does
(one task per ``ITEMS_PER_TASK`` teachers), runs the workers until every item is done, then checks the serials (no
duplicate, no gap, one per teacher) and prints the time and each worker's resident memory at 10 %, 50 % and 100 %
of the batch. Targets: 10,000 certificates in ≤ 3 minutes, memory flat. Certificates are rendered, signed and
stored under var/benchmark-media.

Afterwards it removes what it made (files, certificates, the batch, its tasks, the programme) and winds the year's
serial counter back if nothing else was issued meanwhile, so the data set stays as seeded and the script can run
again; ``--keep`` leaves everything in place.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-benchmark-only-secret-key")
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "benchmark-media"))

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from wagtail.models import ModelLogEntry  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.scale import scale_teachers  # noqa: E402
from benchmarks.certificate_pipeline import benchmark_programme  # noqa: E402
from certification.admin.bulk import start_bulk_issue  # noqa: E402
from certification.codes import format_serial  # noqa: E402
from certification.models import BulkIssueItem, Certificate, SerialCounter  # noqa: E402

STALLED_AFTER_SECONDS = 300


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (steadier than wall time on a shared machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds() -> float | None:
    """CPU time of the other PostgreSQL backends on this database (the workers'), when PostgreSQL runs here."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )
        pids = [pid for (pid,) in cursor.fetchall()]
    try:
        return sum(cpu_seconds(pid) for pid in pids)
    except OSError:
        return None


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the certificates, files and tasks it made")
    arguments = parser.parse_args()
    call_command("ensure_signing_key", verbosity=0)
    backlog = DBTaskResult.objects.filter(status="READY").count()
    if backlog:
        sys.stdout.write(f"Note: {backlog:,} tasks were already waiting in the queue; the workers run them too.\n")
    programme = benchmark_programme(f"bulk-benchmark-{int(time.time())}")
    admin, _created = User.objects.get_or_create(
        email="bulk-benchmark@scale.invalid", defaults={"username": "bulk-benchmark", "is_staff": True}
    )
    teachers = list(scale_teachers().order_by("pk")[: arguments.count])
    if len(teachers) < arguments.count:
        raise SystemExit(f"Only {len(teachers):,} seeded teachers: run `manage.py seed_scale` with a larger --scale.")
    connections.close_all()

    logs = [ROOT / "var" / f"bulk_issue-worker-{n + 1}.log" for n in range(arguments.workers)]
    logs[0].parent.mkdir(exist_ok=True)
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,  # the console e-mail backend writes every certificate's e-mail here
            stderr=log.open("w"),
        )
        for log in logs
    ]
    since, started = timezone.now(), time.monotonic()
    batch = None
    # `kill` (SIGTERM) stops the workers and removes the run's data like a finished run, instead of leaving both.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit("Stopped by SIGTERM."))
    try:
        batch = start_bulk_issue(programme, by=admin, users=teachers, source="benchmark")
        enqueued = time.monotonic() - started
        seconds, memory = wait_for(batch, workers, logs, started)
        cpu = sum(cpu_seconds(worker.pid) for worker in workers), database_cpu_seconds()
        report(batch, teachers, workers, enqueued, seconds, memory, cpu)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait()
        if not arguments.keep:
            remove(programme, batch, since)


def wait_for(batch, workers, logs, started) -> tuple[float, list]:
    """Seconds from ``started`` until no item of ``batch`` is waiting, and the workers' RSS at 10, 50 and 100 %."""
    items = BulkIssueItem.objects.filter(batch=batch)
    total = items.count()
    memory, marks = [], [0.1, 0.5, 1.0]
    progress_at, last_done = time.monotonic(), -1
    while True:
        done = total - items.filter(status=BulkIssueItem.Status.WAITING).count()
        while marks and done >= marks[0] * total:
            memory.append((marks.pop(0), [rss_mib(worker.pid) for worker in workers]))
        if done == total:
            return time.monotonic() - started, memory
        if done != last_done:
            progress_at, last_done = time.monotonic(), done
        if any(worker.poll() is not None for worker in workers):
            raise SystemExit(f"A worker stopped before the batch was done: see {', '.join(map(str, logs))}.")
        if time.monotonic() - progress_at > STALLED_AFTER_SECONDS:
            raise SystemExit(f"No item issued for {STALLED_AFTER_SECONDS} s ({done:,} of {total:,}): see the logs.")
        time.sleep(1)


def report(batch, teachers, workers, enqueued, seconds, memory, cpu) -> None:
    items = BulkIssueItem.objects.filter(batch=batch)
    serials = list(items.exclude(certificate=None).values_list("certificate__serial", flat=True))
    numbers = sorted(int(serial.rsplit("-", 1)[1]) for serial in serials)
    held = Counter(Certificate.objects.filter(programme=batch.programme).values_list("user_id", flat=True))
    failed = items.filter(status=BulkIssueItem.Status.FAILED).count()
    year = serials[0].split("-")[1] if serials else ""
    # A serial of the range held by no certificate at all is missing; other issuing meanwhile may hold some of them.
    in_range = (
        Certificate.objects.filter(
            serial__gte=format_serial(int(year), numbers[0]), serial__lte=format_serial(int(year), numbers[-1])
        ).count()
        if serials
        else 0
    )
    lines = [
        f"certificates: {len(serials):,} of {len(teachers):,} (failed items: {failed}); enqueue {enqueued:.1f} s",
        f"time: {seconds:.1f} s, enqueue included ({1000 * seconds / max(1, len(serials)):.1f} ms per certificate "
        f"with {len(workers)} workers)",
        f"CPU per certificate: workers {1000 * cpu[0] / max(1, len(serials)):.1f} ms, their PostgreSQL backends "
        + (f"{1000 * cpu[1] / max(1, len(serials)):.1f} ms" if cpu[1] is not None else "not readable"),
        f"duplicate serials: {len(numbers) - len(set(numbers))}; "
        f"missing serials: {numbers[-1] - numbers[0] + 1 - in_range if numbers else 'n/a'} "
        f"(issued to others meanwhile: {in_range - len(numbers)}); "
        f"teachers without exactly one certificate: {sum(held[teacher.pk] != 1 for teacher in teachers)}",
        "| done | " + " | ".join(f"worker {n + 1} RSS MiB" for n in range(len(workers))) + " |",
        "| ---: | " + " | ".join("---:" for _worker in workers) + " |",
        *(f"| {mark:.0%} | " + " | ".join(f"{value:.0f}" for value in values) + " |" for mark, values in memory),
        f"{os.cpu_count()} CPUs, load average {' / '.join(f'{load:.1f}' for load in os.getloadavg())} at the end",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


def remove(programme, batch, since) -> None:
    """Remove what the run made, so the data set stays as seeded; the serial counter goes back to the last serial
    still held, and only when the run's last serial is still the counter's (else it would hand out one twice)."""
    certificates = Certificate.objects.filter(programme=programme)
    serials = list(certificates.values_list("serial", flat=True))
    for name in certificates.exclude(pdf="").values_list("pdf", flat=True).iterator():
        default_storage.delete(name)
    with transaction.atomic():
        ids = [str(pk) for pk in certificates.values_list("pk", flat=True)]
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Certificate), object_id__in=ids
        ).delete()
        if batch is not None:
            batch.delete()
        DBTaskResult.objects.filter(task_path="certification.tasks.issue_bulk_items", enqueued_at__gte=since).delete()
        certificates.delete()
        programme.delete()
        for year in {int(serial.split("-")[1]) for serial in serials}:
            last = max(int(serial.rsplit("-", 1)[1]) for serial in serials if serial.split("-")[1] == str(year))
            # Back to the last serial still held (certificates issued to others meanwhile keep theirs).
            kept = Certificate.objects.filter(serial__startswith=format_serial(year, 0)[:-6]).aggregate(Max("serial"))
            kept_number = int(kept["serial__max"].rsplit("-", 1)[1]) if kept["serial__max"] else 0
            SerialCounter.objects.filter(year=year, last_number=last).update(last_number=kept_number)


if __name__ == "__main__":
    main()
