"""Benchmark: SCORM commits STORED per second, against the xAPI intake measured in the same run.

gunicorn (production settings, PostgreSQL, the Redis cache) and wrk on the same machine, as ``xapi_intake.py``:
``--connections`` connections post, for ``--duration`` seconds each, (1) the ``answered`` statement of the real
``H5P.MultiChoice`` package to the xAPI endpoint and (2) a SCORM 1.2 commit of our demo package's SCO (status,
score, bookmark, 2 KB of suspend data) to ``courses:scorm_commit``. A row stored is an ``XAPIStatement`` inserted,
or a ``ScormTrack`` written (``ScormTrack.commits``, counted by the database after the run settles). The figure the
README keeps is the ratio SCORM/xAPI of rows stored per second, both measured in the same run on the same machine.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_scorm_bench REDIS_URL=redis://127.0.0.1:6379/1 \
        .venv/bin/python benchmarks/scorm_commit.py [--duration 20] [--connections 16] [--learners 64]

The per-learner limits (``XAPI_STATEMENTS_PER_MINUTE``, ``SCORM_COMMITS_PER_MINUTE``) are lifted for the run.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("XAPI_STATEMENTS_PER_MINUTE", str(10**9))
os.environ.setdefault("SCORM_COMMITS_PER_MINUTE", str(10**9))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_load  # noqa: E402  (sets Django up with the benchmark settings)
import xapi_intake  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402

from courses.models import Enrolment, ModulePage, ScormPackage, ScormTrack, XAPIStatement  # noqa: E402
from courses.scorm.demo import build_demo_package  # noqa: E402

COMMIT_PATH = "/zh-hant/learning/scorm/commit/"
XAPI_PATH = "/zh-hant/learning/xapi/"


def prepare_scorm(course, learners):
    package = ScormPackage.from_upload(ContentFile(build_demo_package(), name="demo.zip"))
    module = ModulePage.objects.filter(slug="scorm-bench-module").first()
    if module is None:
        module = course.add_child(
            instance=ModulePage(
                title="SCORM",
                slug="scorm-bench-module",
                locale=course.locale,
                body=[("scorm", {"package": package, "title": ""})],
                completion_rule="scorm_passed",
            )
        )
        module.save_revision().publish()
    package = ScormPackage.objects.get(pk=module.scorm_package_ids[0])
    for learner in learners:
        Enrolment.objects.get_or_create(user=learner, course=course)
    return module, package


def scorm_script(folder, module, package, learners):
    bodies = []
    for learner in learners:
        cookie, token = http_load.signed_in(learner)
        commit = {
            "module_id": module.pk,
            "package_id": package.pk,
            "sco": package.scos[0]["identifier"],
            "cmi": {
                "cmi": {
                    "core": {
                        "lesson_status": "passed",
                        "lesson_location": "2",
                        "score": {"raw": "100", "min": "0", "max": "100"},
                        "session_time": "00:01:30",
                        "total_time": "00:12:00",
                    },
                    "suspend_data": "answer=4;" * 200,
                    "interactions": {"childArray": []},
                }
            },
        }
        body = json.dumps(commit).replace("%", "%%")
        bodies.append(
            f"{{cookie={http_load.lua_string(cookie)}, token={http_load.lua_string(token)}, "
            f"body={http_load.lua_string(body)}}}"
        )
    path = folder / "scorm.lua"
    path.write_text(http_load.POST_SCRIPT % {"learners": "{" + ",".join(bodies) + "}", "path": COMMIT_PATH})
    return path


def settled(count):
    latest = -1
    while True:
        value = count()
        if value == latest:
            return value
        latest = value
        time.sleep(1)


def scorm_rows():
    return ScormTrack.objects.aggregate(total=Sum("commits"))["total"] or 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--learners", type=int, default=64)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--address", default=http_load.ADDRESS, help="host:port for gunicorn")
    arguments = parser.parse_args()
    http_load.ADDRESS = arguments.address
    if connection.vendor != "postgresql":
        raise SystemExit("point DATABASE_URL at a PostgreSQL benchmark database")
    folder = Path(tempfile.mkdtemp(prefix="scorm-commit-"))
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    xapi_module, xapi_package, learners = xapi_intake.prepare(arguments.learners)
    scorm_module, scorm_package = prepare_scorm(xapi_module.get_parent().specific, learners)
    scenarios = [
        (
            "xAPI statements",
            XAPI_PATH,
            xapi_intake.script(folder, xapi_module, xapi_package, learners),
            XAPIStatement.objects.count,
        ),
        ("SCORM commits", COMMIT_PATH, scorm_script(folder, scorm_module, scorm_package, learners), scorm_rows),
    ]
    connection.close()
    server = http_load.serve(arguments.workers, arguments.threads)
    rates = {}
    try:
        http_load.wait_for(f"http://{http_load.ADDRESS}/healthz", seconds=300)  # a loaded machine boots slowly
        sys.stdout.write("| endpoint | rows stored/s | rows added | 2xx answers | non-2xx | p50 | p99 |\n")
        sys.stdout.write("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
        for name, path, lua, count in scenarios:
            http_load.wrk(path, lua, 3, arguments.connections)  # warm every worker's caches and connections
            before = settled(count)
            figures = http_load.wrk(path, lua, arguments.duration, arguments.connections)
            added = settled(count) - before
            rates[name] = added / arguments.duration
            answered = figures["requests"] - figures["non_2xx"]
            sys.stdout.write(
                f"| {name} | {rates[name]:.0f} | {added} | {answered} | {figures['non_2xx']} "
                f"| {figures['p50']} | {figures['p99']} |\n"
            )
            sys.stdout.flush()
        ratio = rates["SCORM commits"] / max(rates["xAPI statements"], 1e-9)
        sys.stdout.write(f"\nSCORM commits stored per second / xAPI statements stored per second: {ratio:.2f}\n")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
