"""Benchmark 2: bulk issue through the task queue on PostgreSQL with 2 `db_worker` processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_scale .venv/bin/python benchmarks/bulk_issue.py \
        [--count 10000] [--workers 2]

Creates a programme of its own, starts a bulk issue for ``count`` seeded teachers (one task per teacher, as the
admin's bulk issue does), runs the workers until every item is done, then checks the serials (no duplicate, no
gap) and prints the time and each worker's resident memory at 10 %, 50 % and 100 % of the batch. Targets: 10,000
certificates in ≤ 3 minutes, memory flat. Certificates are rendered, signed and stored under var/benchmark-media.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-benchmark-only-secret-key")
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "benchmark-media"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from accounts.models import User  # noqa: E402
from certification.bulk import start_bulk_issue  # noqa: E402
from certification.models import BulkIssueItem, CertificationProgramme  # noqa: E402
from lms.scale import scale_teachers  # noqa: E402


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    call_command("ensure_signing_key", verbosity=0)
    stamp = int(time.time())
    programme = CertificationProgramme.objects.create(
        slug=f"bulk-benchmark-{stamp}",
        name_zh="大量核發測試",
        name_en="Bulk issue benchmark",
        certificate_title_zh="大量核發測試",
        certificate_title_en="Bulk issue benchmark",
        issue_mode=CertificationProgramme.IssueMode.APPROVAL,
        is_active=False,
    )
    admin, _created = User.objects.get_or_create(
        email="bulk-benchmark@scale.invalid", defaults={"username": "bulk-benchmark", "is_staff": True}
    )
    teachers = list(scale_teachers().order_by("pk")[: arguments.count])
    connections.close_all()

    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _worker in range(arguments.workers)
    ]
    started = time.monotonic()
    batch = start_bulk_issue(programme, by=admin, users=teachers, source="benchmark")
    enqueued = time.monotonic() - started
    items = BulkIssueItem.objects.filter(batch=batch)
    memory, marks = [], [0.1, 0.5, 1.0]
    try:
        while True:
            left = items.filter(status=BulkIssueItem.Status.WAITING).count()
            done = len(teachers) - left
            while marks and done >= marks[0] * len(teachers):
                memory.append((marks.pop(0), [rss_mib(worker.pid) for worker in workers]))
            if not left:
                break
            if any(worker.poll() is not None for worker in workers):
                raise SystemExit("A worker stopped before the batch was done.")
            time.sleep(1)
        seconds = time.monotonic() - started
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait()

    serials = list(items.exclude(certificate=None).values_list("certificate__serial", flat=True))
    numbers = sorted(int(serial.rsplit("-", 1)[1]) for serial in serials)
    failed = items.filter(status=BulkIssueItem.Status.FAILED).count()
    lines = [
        f"certificates: {len(serials):,} of {len(teachers):,} (failed items: {failed}); enqueue {enqueued:.1f} s",
        f"time: {seconds:.1f} s ({1000 * seconds / max(1, len(serials)):.0f} ms per certificate with "
        f"{len(workers)} workers)",
        f"duplicate serials: {len(numbers) - len(set(numbers))}; "
        f"gaps: {numbers[-1] - numbers[0] + 1 - len(numbers) if numbers else 'n/a'}",
        "| done | " + " | ".join(f"worker {n + 1} RSS MiB" for n in range(len(workers))) + " |",
        "| ---: | " + " | ".join("---:" for _worker in workers) + " |",
        *(f"| {mark:.0%} | " + " | ".join(f"{value:.0f}" for value in values) + " |" for mark, values in memory),
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
