"""Benchmark 4: eligibility on the `seed_scale` data set. One teacher across every open programme (target ≤ 10 ms),
and re-evaluating every teacher (target ≤ 5 minutes for 200,000), measured on a sample and extrapolated.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_scale .venv/bin/python benchmarks/eligibility.py \
        [--teachers 500] [--sample 5000] [--profile]

"One teacher" is ``evaluate_all(user)`` as a page or a task calls it: the programmes and the teacher's record read
afresh. "Every teacher" reads the programmes once and each teacher's record (``TeacherRecord.load``), as a
re-evaluation of everyone would; the sample is spread over the whole id range.
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

from certification.eligibility import TeacherRecord, active_programmes, evaluate_all  # noqa: E402
from lms.scale import scale_teachers  # noqa: E402


def spread(ids, count):
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teachers", type=int, default=500, help="teachers timed one by one")
    parser.add_argument("--sample", type=int, default=5000, help="teachers re-evaluated to extrapolate everyone")
    parser.add_argument("--profile", action="store_true", help="pyinstrument over the one-teacher loop")
    arguments = parser.parse_args()
    users = list(scale_teachers().order_by("pk"))
    if not users:
        raise SystemExit("No seeded teachers: run `manage.py seed_scale` first.")

    one = spread(users, arguments.teachers)
    for user in one[:20]:
        evaluate_all(user)  # warm connections and imports
    profiler = None
    if arguments.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    wall, cpu = [], []
    for user in one:
        started, started_cpu = time.perf_counter(), time.process_time()
        evaluate_all(user)
        wall.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - started_cpu))
    if profiler:
        profiler.stop()
        sys.stdout.write(profiler.output_text(color=False))

    programmes = list(active_programmes())
    sample = spread(users, arguments.sample)
    started, started_cpu = time.perf_counter(), time.process_time()
    eligible = 0
    for user in sample:
        results = evaluate_all(user, programmes, record=TeacherRecord.load(user))
        eligible += sum(result.eligible for result in results)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - started_cpu
    everyone = seconds * len(users) / len(sample)

    quantiles = statistics.quantiles(wall, n=100)
    lines = [
        f"programmes: {len(programmes)}; teachers in the data set: {len(users):,}",
        "| measure | teachers | median ms | p90 ms | p99 ms | CPU median ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        f"| one teacher, all programmes | {len(one)} | {statistics.median(wall):.1f} | {quantiles[89]:.1f} "
        f"| {quantiles[98]:.1f} | {statistics.median(cpu):.1f} |",
        "",
        "| measure | sample | sample s | CPU s | everyone (extrapolated) |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| re-evaluate every teacher | {len(sample):,} | {seconds:.1f} | {cpu_seconds:.1f} "
        f"| {everyone:.0f} s for {len(users):,} |",
        f"eligible (teacher, programme) pairs in the sample: {eligible}",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
