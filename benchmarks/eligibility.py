"""Benchmark 4: eligibility on the `seed_scale` data set. One teacher across every open programme (target ≤ 10 ms),
and re-evaluating every teacher for real, by chunks (target ≤ 5 minutes for 200,000).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_scale .venv/bin/python benchmarks/eligibility.py \
        [--teachers 500] [--limit 20000] [--chunk-size 2000] [--act] [--profile]

"One teacher" is ``evaluate_all(user)`` as a page or a task calls it, the programmes from the per-process catalogue
(warm, as in a running server) and the teacher's record read afresh (one query). The cold catalogue (programmes,
required courses and titles read again) is timed apart, since it happens once per process and per change.

"Everyone" is ``reevaluate_everyone``, the walk ``manage.py reevaluate_eligibility`` does: every active user, by
chunks, with no extrapolation (``--limit`` stops after that many teachers, for a quick sample). By default it only
judges (nothing is issued or queued); ``--act`` also issues and queues what is earned, inside a transaction rolled
back at the end, so the data set is left as it was.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")  # production: DEBUG off, no query log
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-benchmark-only-secret-key")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from accounts.scale import scale_teachers  # noqa: E402
from certification.registry.automation import Reevaluation, reevaluate_everyone  # noqa: E402
from certification.registry.eligibility import catalogue, evaluate_all, programmes_changed  # noqa: E402


def spread(ids, count):
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def percentiles(values):
    quantiles = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
    return statistics.median(values), quantiles[89], quantiles[98]


def one_teacher(users, arguments):
    for user in users[:20]:
        evaluate_all(user)  # warm connections, imports and the catalogue
    profiler = None
    if arguments.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    wall, cpu = [], []
    for user in users:
        started, started_cpu = time.perf_counter(), time.process_time()
        evaluate_all(user)
        wall.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - started_cpu))
    if profiler:
        profiler.stop()
        sys.stdout.write(profiler.output_text(color=False))
    cold = []
    for user in users[:20]:
        programmes_changed()
        started = time.perf_counter()
        evaluate_all(user)
        cold.append(1000 * (time.perf_counter() - started))
    return wall, cpu, cold


def everyone(arguments):
    total = Reevaluation()
    started, started_cpu = time.perf_counter(), time.process_time()
    for chunk in reevaluate_everyone(arguments.chunk_size, act=arguments.act):
        total.add(chunk)
        if arguments.limit and total.teachers >= arguments.limit:
            break
    return total, time.perf_counter() - started, time.process_time() - started_cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teachers", type=int, default=500, help="teachers timed one by one")
    parser.add_argument(
        "--limit", type=int, default=0, help="stop after the chunk that reaches this many teachers (0: everyone)"
    )
    parser.add_argument("--chunk-size", type=int, default=2000, help="teachers read per query when re-evaluating")
    parser.add_argument("--act", action="store_true", help="issue and queue too, in a transaction rolled back")
    parser.add_argument("--profile", action="store_true", help="pyinstrument over the one-teacher loop")
    arguments = parser.parse_args()
    users = list(scale_teachers().order_by("pk"))
    if not users:
        raise SystemExit("No seeded teachers: run `manage.py seed_scale` first.")

    wall, cpu, cold = one_teacher(spread(users, arguments.teachers), arguments)
    programmes = len(catalogue().programmes)
    with transaction.atomic():
        total, seconds, cpu_seconds = everyone(arguments)
        transaction.set_rollback(True)  # what --act issued and queued is not kept
    connection.close()

    median, p90, p99 = percentiles(wall)
    mode = "issued and queued, rolled back" if arguments.act else "judged only"
    lines = [
        f"programmes: {programmes}; teachers in the data set: {len(users):,}; load average: "
        + ", ".join(f"{load:.2f}" for load in os.getloadavg()),
        "| measure | teachers | median | p90 | p99 | CPU median | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| one teacher, all programmes (`evaluate_all(user)`, warm catalogue) | {len(wall)} | {median:.1f} ms "
        f"| {p90:.1f} ms | {p99:.1f} ms | {statistics.median(cpu):.2f} ms | ≤ 10 ms |",
        f"| the same after a programme change (catalogue read again) | {len(cold)} "
        f"| {statistics.median(cold):.1f} ms | | | | |",
        "",
        "| measure | teachers | wall | CPU | per teacher | eligible, not holding | issued | queued | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| re-evaluate everyone, chunks of {arguments.chunk_size:,} ({mode}) | {total.teachers:,} | {seconds:.1f} s "
        f"| {cpu_seconds:.1f} s | {1000 * seconds / max(total.teachers, 1):.2f} ms | {total.eligible:,} "
        f"| {total.issued:,} | {total.queued:,} | ≤ 300 s for 200,000 |",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
