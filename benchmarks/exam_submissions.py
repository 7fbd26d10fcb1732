"""200 learners submit the same exam at the same moment, each twice (a double click), against gunicorn.

    createdb -h 127.0.0.1 -U postgres lms_quiz_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_quiz_bench REDIS_URL=redis://127.0.0.1:6379/6 \
        .venv/bin/python benchmarks/exam_submissions.py [--learners 200] [--workers 2] [--threads 8]

The demo's Advanced final exam (10 questions drawn from the chapter 4 bank) is started for every learner through
the ORM; then every learner's browser posts the whole answer form with "Submit and finish" twice at once, all 2 × N
requests released together by a barrier. Afterwards the script checks, for every learner, that each answer sent is
the one stored and scored (no lost answer), that there is one finished attempt with one finish time and one
module completion (no double grade), and prints the latency of the submissions (p50, p99, max).
"""

import argparse
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-benchmark-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from benchmarks.http_load import signed_in, wait_for  # noqa: E402

ADDRESS = "127.0.0.1:8766"


def prepare(count):
    """The demo site, ``count`` learners enrolled in the exam's course, each with an attempt in progress."""
    import io

    from accounts import demo as accounts_demo
    from accounts.models import User
    from assessments import demo as assessments_demo
    from assessments.attempts import start_attempt
    from assessments.models import Attempt, Quiz
    from courses import demo as courses_demo
    from courses.models import Enrolment, ModulePage, ModuleProgress
    from home import demo as home_demo

    call_command("migrate", verbosity=0)
    if not Quiz.objects.filter(title_en="Advanced programme final exam").exists():
        for app in (accounts_demo, home_demo, courses_demo, assessments_demo):
            app.load(io.StringIO())
    quiz = Quiz.objects.get(title_en="Advanced programme final exam")
    module = ModulePage.objects.get(slug="final-exam", locale__language_code="zh-hant")
    Attempt.objects.filter(quiz=quiz).delete()
    ModuleProgress.objects.filter(module=module).delete()
    learners = []
    for number in range(count):
        user, _created = User.objects.get_or_create(
            email=f"exam-bench-{number}@school.example.tw", defaults={"username": f"exam-bench-{number}"}
        )
        Enrolment.objects.get_or_create(user=user, course=module.course)
        learners.append((user, start_attempt(quiz, module, user)))
    return quiz, module, learners


def answer_form(attempt, csrf):
    """A full answer form: each question answered with a value the learner could pick (choices by position)."""
    data = [("csrfmiddlewaretoken", csrf), ("finish", "1")]
    expected = {}
    for slot in attempt.slots.select_related("question"):
        prefix = f"s{slot.position}"
        data.append((f"{prefix}-shown", "1"))
        kind = slot.question.question_type
        if kind == "true_false":
            response = {"answer": "true" if slot.position % 2 else "false"}
        elif kind == "single_choice":
            response = {"choice": str(slot.position % len(slot.layout["options"]))}
        elif kind == "multiple_response":
            response = {"choices": ["0", "1"]}
        else:
            response = {"answer": f"{attempt.user_id}-{slot.position}"}
            if kind in ("matching", "ordering", "cloze"):
                response = {}
        for key, value in response.items():
            for item in value if isinstance(value, list) else [value]:
                data.append((f"{prefix}-{key}", item))
        expected[slot.position] = response
    return urllib.parse.urlencode(data).encode(), expected


def submit(url, body, cookie, results, index, barrier):
    request = urllib.request.Request(
        url, data=body, headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    )
    opener = urllib.request.build_opener(NoRedirect)
    barrier.wait()
    started = time.perf_counter()
    try:
        status = opener.open(request, timeout=120).status
    except urllib.error.HTTPError as error:
        status = error.code
    results[index] = (status, time.perf_counter() - started)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=8)
    arguments = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run this against PostgreSQL (DATABASE_URL): SQLite serialises every write.")

    from assessments.models import Attempt
    from courses.models import ModuleProgress

    quiz, module, learners = prepare(arguments.learners)
    jobs, expected = [], {}
    for user, attempt in learners:
        cookie, csrf = signed_in(user)
        body, expected[attempt.pk] = answer_form(attempt, csrf)
        url = f"http://{ADDRESS}/zh-hant/learning/attempts/{attempt.pk}/"
        jobs += [(url, body, cookie), (url, body, cookie)]  # the double click
    connection.close()

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lms.wsgi",
            "--worker-class=gthread",
            f"--workers={arguments.workers}",
            f"--threads={arguments.threads}",
            f"--bind={ADDRESS}",
            "--backlog=1024",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        wait_for(f"http://{ADDRESS}/healthz")
        results = [None] * len(jobs)
        barrier = threading.Barrier(len(jobs))
        threads = [
            threading.Thread(target=submit, args=(*job, results, index, barrier)) for index, job in enumerate(jobs)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait()

    statuses = [status for status, _seconds in results]
    latencies = [seconds * 1000 for _status, seconds in results]
    lost, double = 0, 0
    for attempt in Attempt.objects.filter(quiz=quiz).prefetch_related("slots"):
        if attempt.state == Attempt.State.IN_PROGRESS or attempt.finished_at is None:
            lost += len(expected[attempt.pk])
            continue
        for slot in attempt.slots.all():
            if slot.response != expected[attempt.pk][slot.position] or slot.fraction is None:
                lost += 1
    per_user = Attempt.objects.filter(quiz=quiz).values("user").distinct().count()
    double = Attempt.objects.filter(quiz=quiz).count() - per_user
    completions = ModuleProgress.objects.filter(module=module).count()
    sys.stdout.write(
        f"| {arguments.learners} learners × 2 submissions | wall {wall:.2f} s | "
        f"p50 {percentile(latencies, 0.5):.0f} ms | p99 {percentile(latencies, 0.99):.0f} ms | "
        f"max {max(latencies):.0f} ms | statuses {sorted(set(statuses))} | lost answers {lost} | "
        f"extra attempts {double} | progress rows {completions} |\n"
    )


if __name__ == "__main__":
    main()
