"""Issue 17: a signed-in learner's pages against wagtail-lms (the closest peer), side by side, in one command.

    bash ../shared/peer-bench/setup.sh                      # once: the peer in /tmp/peerbench (about 3 minutes)
    createdb -h 127.0.0.1 -U postgres lms_peer_bench       # once: our side's database (the script fills it)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_peer_bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python benchmarks/peer_comparison.py [--rounds 2] [--duration 30s] [--server sync:4] \\
        [--server gthread:2x4] [--no-peer] [--no-extra]

Our side: production settings (``benchmarks.settings``: DEBUG off, Redis, the per-learner xAPI limit raised
because one load generator stands for one learner posting hundreds of statements a second), PostgreSQL, the demo
content (migrated and loaded on the first run), and a course the demo teacher is enrolled in whose one module
plays ``../shared/h5p/H5P.MultiChoice.h5p``, as the peer's seed does. Each round serves the peer (its
``serve.sh``: 4 sync workers), then us (each ``--server``), one at a time, and runs the peer harness's own
``run.sh`` against each: the H5P module page, the xAPI ``answered`` statement (ours without a statement id, so
every request is a new statement), the course page, ``wrk -t2 -c32``. For xAPI, only statements actually stored
count: our 201 answers, checked against the table's row count; the peer's 2xx answers, checked against its
table's. Since issue 14 our module page carries the player as a sandboxed frame on the content origin, a second
request the peer's lesson page does not make: the frame document (its signed URL taken from the page, fetched
without the learner's cookie, as a browser does across origins) is measured too, and "page + frame" is the rate
of whole module views the two requests allow (1 / (1/page + 1/frame)). Then, ours only (no peer equivalent): the
learner dashboard, a community page and the expert directory, with the same wrk settings and the same
``bench.lua``. The load average is printed before every server's turn; compare figures of one run only.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the repository (a worktree may sit one folder deeper).
SHARED = next((folder / "shared" for folder in ROOT.parents if (folder / "shared" / "peer-bench").is_dir()), None)
PEER_BENCH = SHARED / "peer-bench" if SHARED else Path("../shared/peer-bench")
MULTICHOICE = SHARED / "h5p" / "H5P.MultiChoice.h5p" if SHARED else Path("../shared/h5p/H5P.MultiChoice.h5p")
PEER_DIR = Path(os.environ.get("PEERBENCH_DIR", "/tmp/peerbench"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-benchmark-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.translation import override  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from accounts.demo import TEACHER_EMAIL  # noqa: E402
from accounts.models import User  # noqa: E402
from community.models import CommunityPage, ExpertIndexPage  # noqa: E402
from courses.enrolment import enrol  # noqa: E402
from courses.h5p.player import ACTIVITY_PATH  # noqa: E402
from courses.models import CourseIndexPage, CoursePage, Enrolment, H5PPackage, ModulePage, XAPIStatement  # noqa: E402

OURS = "127.0.0.1:8102"
PEER = "127.0.0.1:8101"
TEACHER_PASSWORD = "Teacher-demo-2026"  # accounts.demo: public, demo sites only
COURSE_SLUG = "peer-benchmark"
RESULT = re.compile(r"rps=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+) requests=(\d+) non2xx=(\d+) .*statuses=(\S*)")


def say(text=""):
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


def prepare_database():
    """Migrate and load the demo on the first run; then the benchmark course, module and enrolment."""
    call_command("migrate", interactive=False, verbosity=0)
    if not User.objects.filter(email=TEACHER_EMAIL).exists():
        call_command("ensure_signing_key")
        call_command("load_demo")
        call_command("db_worker", batch=True, verbosity=0)
    teacher = User.objects.get(email=TEACHER_EMAIL)
    with MULTICHOICE.open("rb") as upload:
        package = H5PPackage.from_upload(File(upload, name=MULTICHOICE.name))
    course = CoursePage.objects.filter(slug=COURSE_SLUG).first()
    if course is None:
        catalogue = CourseIndexPage.objects.get(locale=Locale.get_default())
        course = catalogue.add_child(
            instance=CoursePage(
                title="同步評比課程",
                slug=COURSE_SLUG,
                summary="One module that plays H5P.MultiChoice, as the peer's benchmark course.",
                competency_area="curriculum",
                level="beginner",
                study_hours=1,
            )
        )
        course.save_revision().publish()
        module = course.add_child(
            instance=ModulePage(
                title="MultiChoice",
                slug="multichoice",
                completion_rule="h5p_passed",
                body=[
                    {"type": "paragraph", "value": "<p>Blackcurrants are small berries.</p>"},
                    {"type": "h5p", "value": {"package": package.pk, "title": ""}},
                ],
            )
        )
        module.save_revision().publish()
    module = ModulePage.objects.child_of(course).get()
    if not Enrolment.objects.filter(user=teacher, course=course, status=Enrolment.Status.ACTIVE).exists():
        enrol(teacher, course)
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    return teacher, course, module, package


def xapi_body(folder, module, package) -> Path:
    """The peer's ``answered`` statement as our player posts it: its object is our activity, no statement id."""
    statement = json.loads((PEER_DIR / "xapi_answered.json").read_text())
    statement["object"]["id"] = f"http://{OURS}{ACTIVITY_PATH}{package.content_hash}"
    statement["object"]["definition"]["extensions"] = {"http://h5p.org/x-api/h5p-local-content-id": package.pk}
    library = f"http://h5p.org/libraries/{package.main_library}-{package.main_library_version}"
    statement["context"]["contextActivities"]["category"][0]["id"] = library
    body = folder / "xapi_answered.json"
    body.write_text(json.dumps({"module_id": module.pk, "package_id": package.pk, "statement": statement}))
    return body


def extra_paths(teacher):
    with override("zh-hant"):
        community = CommunityPage.objects.live().filter(locale=Locale.get_default()).order_by("path").first()
        directory = ExpertIndexPage.objects.live().filter(locale=Locale.get_default()).first()
        return {
            "learner dashboard": reverse("courses:dashboard"),
            "community page": community.url,
            "expert directory": directory.url,
        }


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"no answer at {url}")


def load_average():
    return Path("/proc/loadavg").read_text().split()[0]


def login(base, path, user, password, field, python):
    output = subprocess.run(
        [python, str(PEER_BENCH / "login.py"), base, path, user, password, *([field] if field else [])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    values = dict(re.findall(r"^(\w+)='(.*)'$", output, re.M))
    return values["COOKIE"], values["CSRF"]


def run_harness(name, out, env):
    """The peer harness's run.sh, one round; returns {endpoint key: RESULT fields} for the measured runs."""
    subprocess.run(
        ["bash", str(PEER_BENCH / "run.sh")],
        env={**os.environ, **env, "NAME": name, "OUT": str(out), "ROUNDS": "1"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return {key: parse_result((out / f"{key}.run1.txt").read_text()) for key in ("a_lesson", "b_xapi", "c_course")}


def parse_result(text):
    rps, p50, p99, requests, non2xx, statuses = RESULT.search(text).groups()
    codes = dict(item.split("=") for item in statuses.split(",") if item)
    return {
        "rps": float(rps),
        "p50": float(p50),
        "p99": float(p99),
        "requests": int(requests),
        "non2xx": int(non2xx),
        "codes": {int(k): int(v) for k, v in codes.items()},
        "seconds": float(re.search(r"requests in ([\d.]+)s", text).group(1)),
    }


def wrk_get(base, path, cookie, label, duration, out):
    env = {**os.environ, "METHOD": "GET", "COOKIE": cookie, "ORIGIN": "", "LABEL": label}
    command = ["wrk", "-t2", "-c32", f"-d{duration}", "--latency", "-s", str(PEER_BENCH / "bench.lua"), base + path]
    subprocess.run([*command[:4], "-d5s", *command[5:]], env=env, check=True, capture_output=True)  # warm-up
    text = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    (out / f"{label}.txt").write_text(text)
    return parse_result(text)


def serve_ours(server):
    kind, _, shape = server.partition(":")
    if kind == "sync":
        options = ["--worker-class=sync", f"--workers={shape or 4}"]
    else:
        workers, _, threads = (shape or "2x4").partition("x")
        options = ["--worker-class=gthread", f"--workers={workers}", f"--threads={threads}"]
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lms.wsgi", *options, f"--bind={OURS}", "--timeout=60"],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    wait_for(f"http://{OURS}/healthz")
    return process


def player_frame(page_body):
    """The signed URL of the module page's player frame (the content origin's document)."""
    return re.search(r'<iframe[^>]*data-h5p-frame[^>]*src="([^"]+)"', page_body).group(1).replace("&amp;", "&")


def whole_module_view(page, frame):
    """A module view is the page and its frame, one after the other: the rate the two allow together."""
    rps = 1 / (1 / page["rps"] + 1 / frame["rps"])
    return {"rps": rps, "p50": page["p50"] + frame["p50"], "p99": page["p99"] + frame["p99"]}


def peer_statements():
    count = "SELECT count(*) FROM wagtail_lms_h5pxapistatement"
    database = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "peerbench", "-Atc", count]
    return int(subprocess.run(database, capture_output=True, text=True, check=True).stdout)


def stored_statements(user):
    connection.close()  # a fresh count, not one from an old transaction
    return XAPIStatement.objects.filter(user=user).count()


def ours_turn(server, teacher, module, course, body, out, duration, extra):
    process = serve_ours(server)
    try:
        base = f"http://{OURS}"
        cookie, csrf = login(
            base, "/zh-hant/accounts/login/", TEACHER_EMAIL, TEACHER_PASSWORD, "login", sys.executable
        )
        before = stored_statements(teacher)
        env = {
            "BASE": base,
            "COOKIE": cookie,
            "CSRF": csrf,
            "LESSON_PATH": module.url,
            "XAPI_PATH": reverse("courses:xapi"),
            "XAPI_BODY": str(body),
            "COURSE_PATH": course.url,
            "DURATION": duration,
        }
        results = run_harness(f"ours-{server}", out, env)
        stored = stored_statements(teacher) - before
        # Stored rows = the 201s of the preflight, the warm-up and the measured run; the measured run's 201s count.
        answered = sum(
            parse_result((out / name).read_text())["codes"].get(201, 0)
            for name in ("b_xapi.warmup.txt", "b_xapi.run1.txt")
        ) + ('"stored": true' in (out / "b_xapi.check.body").read_text())
        xapi = results["b_xapi"]
        xapi["stored"] = xapi["codes"].get(201, 0)
        xapi["stored_rps"] = xapi["stored"] / xapi["seconds"]
        xapi["rows_check"] = (stored, answered)
        frame = player_frame((out / "a_lesson.check.body").read_text())
        results["player frame"] = wrk_get("", frame, "", "player_frame", duration, out)
        results["page + frame"] = whole_module_view(results["a_lesson"], results["player frame"])
        if extra:
            for label, path in extra_paths(teacher).items():
                results[label] = wrk_get(base, path, cookie, label.replace(" ", "_"), duration, out)
        return results
    finally:
        process.terminate()
        process.wait()


def peer_turn(out, duration):
    serve = ["bash", str(PEER_BENCH / "serve.sh")]
    subprocess.run([*serve, "start"], check=True, stdout=subprocess.DEVNULL)
    try:
        cookie, csrf = login(
            f"http://{PEER}",
            "/accounts/login/",
            "teacher",
            "teacher-bench-pw-1",
            "",
            str(PEER_DIR / "venv" / "bin" / "python"),
        )
        before = peer_statements()
        results = run_harness("peer", out, {"COOKIE": cookie, "CSRF": csrf, "DURATION": duration})
        stored = peer_statements() - before
        answered = (
            sum(
                sum(n for code, n in parse_result((out / name).read_text())["codes"].items() if 200 <= code < 300)
                for name in ("b_xapi.warmup.txt", "b_xapi.run1.txt")
            )
            + 1
        )  # the preflight
        xapi = results["b_xapi"]
        xapi["stored"] = sum(n for code, n in xapi["codes"].items() if 200 <= code < 300)
        xapi["stored_rps"] = xapi["stored"] / xapi["seconds"]
        xapi["rows_check"] = (stored, answered)
        return results
    finally:
        subprocess.run([*serve, "stop"], check=True, stdout=subprocess.DEVNULL)


def figure(result, key="rps"):
    return f"{result[key]:.0f} ({result['p50']:.0f}/{result['p99']:.0f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", default="30s")
    parser.add_argument("--server", action="append", help="sync:N or gthread:NxT (default sync:4); repeatable")
    parser.add_argument("--no-peer", action="store_true", help="our side only")
    parser.add_argument("--no-extra", action="store_true", help="leave out the endpoints with no peer equivalent")
    arguments = parser.parse_args()
    servers = arguments.server or ["sync:4"]
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        raise SystemExit("set DATABASE_URL (PostgreSQL) and REDIS_URL: the comparison is with production settings")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    teacher, course, module, package = prepare_database()
    folder = ROOT / "var" / "peer-comparison" / time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    folder.mkdir(parents=True)
    body = xapi_body(folder, module, package)
    rows = []
    for round_number in range(1, arguments.rounds + 1):
        turns = [] if arguments.no_peer else [("peer", None)]
        turns += [("ours", server) for server in servers]
        for name, server in turns:
            label = name if server is None else f"ours {server}"
            out = folder / f"r{round_number}-{label.replace(' ', '-').replace(':', '')}"
            load = load_average()
            if server is None:
                results = peer_turn(out, arguments.duration)
            else:
                results = ours_turn(
                    server, teacher, module, course, body, out, arguments.duration, not arguments.no_extra
                )
            rows.append((round_number, label, load, results))
            say(
                f"round {round_number} {label} (load {load}): "
                + ", ".join(
                    f"{key} {figure(value, 'stored_rps' if key == 'b_xapi' else 'rps')}"
                    for key, value in results.items()
                )
            )
            if "rows_check" in results["b_xapi"]:
                say(
                    f"  xAPI rows stored during the turn {results['b_xapi']['rows_check'][0]}, storing answers "
                    f"{results['b_xapi']['rows_check'][1]}"
                )
    say("\nreq/s (p50 ms / p99 ms); xAPI: statements stored per second")
    extras = ("player frame", "page + frame", "learner dashboard", "community page", "expert directory")
    say(
        "| round | server | load | module page | xAPI stored | course page | player frame | page + frame "
        "| dashboard | community | directory |"
    )
    say("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for round_number, label, load, results in rows:
        cells = [figure(results["a_lesson"]), figure(results["b_xapi"], "stored_rps"), figure(results["c_course"])]
        cells += [figure(results[key]) if key in results else "—" for key in extras]
        say(f"| {round_number} | {label} | {load} | " + " | ".join(cells) + " |")
    say(f"raw output: {folder}")


if __name__ == "__main__":
    main()
