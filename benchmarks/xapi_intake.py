"""Benchmark 6: xAPI statements STORED per second, counted as rows in the table, not as 2xx answers.

gunicorn (production settings, PostgreSQL, the Redis cache) and wrk on the same machine, as in benchmark 3
(``http_load.py``): 32 connections post the ``answered`` statement of the real ``H5P.MultiChoice`` package (each
closes an attempt and is re-scored) with a fresh statement id each, for ``--duration`` seconds. The figure is
the number of ``XAPIStatement`` rows the run added divided by the duration; the script also prints wrk's 2xx count.
The rows may exceed the 2xx answers by at most the connections (the posts in flight when wrk stops, which wrk does
not count, are stored all the same); fewer rows than 2xx answers would be statements lost.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_record_bench REDIS_URL=redis://127.0.0.1:6379/3 \
        .venv/bin/python benchmarks/xapi_intake.py [--duration 30] [--connections 32] [--learners 1 256]

``--learners 1`` is the hardest case: every statement waits for the lock on the one learner's progress row in
the module (``courses.xapi``), which is what numbers attempts without collisions. The per-learner limit
(``XAPI_STATEMENTS_PER_MINUTE``) is lifted for the run, since one load generator stands for many browsers. The
database is migrated and given a course, a module and the learners on the first run (``xapi-bench-…`` names).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("XAPI_STATEMENTS_PER_MINUTE", str(10**9))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_load  # noqa: E402  (sets Django up with the benchmark settings)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from wagtail.models import Locale, Page  # noqa: E402

from accounts.models import User  # noqa: E402
from courses.h5p.player import ACTIVITY_PATH  # noqa: E402
from courses.models import CoursePage, Enrolment, H5PPackage, ModulePage, XAPIStatement  # noqa: E402

# ../shared/h5p beside the project (one level further up from a git worktree in wt/<branch>/)
MULTICHOICE = next(
    (
        path
        for folder in (http_load.ROOT.parent, http_load.ROOT.parent.parent)
        if (path := folder / "shared" / "h5p" / "H5P.MultiChoice.h5p").exists()
    ),
    http_load.ROOT.parent / "shared" / "h5p" / "H5P.MultiChoice.h5p",
)


def prepare(learner_count):
    """The course, its module showing the real MultiChoice package, and ``learner_count`` enrolled learners."""
    call_command("migrate", verbosity=0)
    with MULTICHOICE.open("rb") as upload:
        package = H5PPackage.from_upload(upload)
    course = CoursePage.objects.filter(slug="xapi-bench-course").first()
    if course is None:
        locale, _created = Locale.objects.get_or_create(language_code="zh-hant")
        parent = Page.objects.filter(depth=2).first() or Page.get_first_root_node()
        course = parent.add_child(
            instance=CoursePage(
                title="xAPI 壓力測試",
                slug="xapi-bench-course",
                locale=locale,
                summary="xAPI 壓力測試",
                competency_area="concepts",
                level="beginner",
                study_hours=1,
            )
        )
    module = ModulePage.objects.filter(slug="xapi-bench-module").first()
    if module is None:
        module = course.add_child(
            instance=ModulePage(
                title="單選題",
                slug="xapi-bench-module",
                locale=course.locale,
                body=[("h5p", {"package": package, "title": ""})],
                completion_rule="h5p_passed",
                pass_mark=100,
            )
        )
        module.save_revision().publish()
    learners = []
    for number in range(learner_count):
        learner, _created = User.objects.get_or_create(
            username=f"xapi-bench-{number}", defaults={"email": f"xapi-bench-{number}@benchmark.invalid"}
        )
        Enrolment.objects.get_or_create(user=learner, course=course)
        learners.append(learner)
    return module, package, learners


def script(folder, module, package, learners):
    bodies = []
    for learner in learners:
        cookie, token = http_load.signed_in(learner)
        statement = {
            "module_id": module.pk,
            "package_id": package.pk,
            "statement": {
                "id": "%s",
                "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                "object": {"id": f"http://127.0.0.1{ACTIVITY_PATH}{package.content_hash}"},
                "result": {"score": {"min": 0, "raw": 1, "max": 1}, "response": "0", "completion": True},
            },
        }
        body = http_load.json.dumps(statement).replace("%", "%%").replace('"%%s"', '"%s"')
        bodies.append(
            f"{{cookie={http_load.lua_string(cookie)}, token={http_load.lua_string(token)}, "
            f"body={http_load.lua_string(body)}}}"
        )
    path = folder / f"xapi-{len(learners)}.lua"
    path.write_text(
        http_load.POST_SCRIPT % {"learners": "{" + ",".join(bodies) + "}", "path": "/zh-hant/learning/xapi/"}
    )
    return path


def settled_rows():
    """The table's row count once the requests still in flight (wrk stops without waiting for them) are stored."""
    count = -1
    while True:
        latest = XAPIStatement.objects.count()
        if latest == count:
            return count
        count = latest
        time.sleep(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--learners", type=int, nargs="+", default=[1, 256])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4)
    arguments = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("point DATABASE_URL at a PostgreSQL benchmark database")
    folder = Path(tempfile.mkdtemp(prefix="xapi-intake-"))
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    scenarios = []
    for count in arguments.learners:
        module, package, learners = prepare(count)
        scenarios.append((count, script(folder, module, package, learners)))
    connection.close()
    server = http_load.serve(arguments.workers, arguments.threads)
    try:
        http_load.wait_for(f"http://{http_load.ADDRESS}/healthz")
        sys.stdout.write(
            "| learners | stored statements/s (rows) | rows added | 2xx answers | non-2xx | p50 | p99 |\n"
        )
        sys.stdout.write("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
        path = "/zh-hant/learning/xapi/"
        for count, lua in scenarios:
            http_load.wrk(path, lua, 3, arguments.connections)  # warm every worker's caches and connections
            before = settled_rows()
            figures = http_load.wrk(path, lua, arguments.duration, arguments.connections)
            added = settled_rows() - before
            answered = figures["requests"] - figures["non_2xx"]
            sys.stdout.write(
                f"| {count} | {added / arguments.duration:.0f} | {added} | {answered} | {figures['non_2xx']} "
                f"| {figures['p50']} | {figures['p99']} |\n"
            )
            sys.stdout.flush()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
