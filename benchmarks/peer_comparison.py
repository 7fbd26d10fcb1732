"""Issue 17: a signed-in learner's pages against wagtail-lms (the closest peer), side by side, in one command.

    bash ../shared/peer-bench/setup.sh                      # once: the peer in /tmp/peerbench (about 3 minutes)
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
of whole module views the two requests allow (1 / (1/page + 1/frame)). Then, ours only (no peer equivalent), with
the same wrk settings: the learner dashboard, a community page, the expert directory, the quiz attempt page (a
practice quiz of the demo's bank in a second module, the teacher's attempt in progress) and its answer save
(``answer_save.lua``: the attempt form, the essay's text new on every request, posted by ``SAVE_LEARNERS`` signed-in
learners each into their own attempt; rows stored counted by PostgreSQL), between two more runs of the module page
they are judged against; last, not judged, the answer save of the earlier runs: every connection saving into the
teacher's one attempt. Writes a markdown table (req/s, p50, p99,
p99/p50, load average, rows stored) to ``var/peer-comparison/<time>/results.md``; compare figures of one run only.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

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
from django.db import OperationalError, connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.translation import override  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from accounts.demo import TEACHER_EMAIL  # noqa: E402
from accounts.models import User  # noqa: E402
from accounts.scale import scale_teachers  # noqa: E402
from assessments.attempts import start_attempt  # noqa: E402
from assessments.models import AttemptSlot, QuestionCategory, QuestionType, Quiz, QuizDraw  # noqa: E402
from benchmarks.http_load import lua_string, signed_in  # noqa: E402
from community.models import CommunityPage, ExpertIndexPage  # noqa: E402
from courses.enrolment import enrol  # noqa: E402
from courses.h5p.player import ACTIVITY_PATH  # noqa: E402
from courses.models import CourseIndexPage, CoursePage, Enrolment, H5PPackage, ModulePage, XAPIStatement  # noqa: E402

OURS = os.environ.get("OURS_ADDRESS", "127.0.0.1:8200")  # where our gunicorn listens
PEER = "127.0.0.1:8101"
TEACHER_PASSWORD = "Teacher-demo-2026"  # accounts.demo: public, demo sites only
COURSE_SLUG = "peer-benchmark"
ANSWER_SAVE_LUA = ROOT / "benchmarks" / "answer_save.lua"
SAVE_RUNS = ("answer_save.warmup.txt", "answer_save.txt")
ONE_ATTEMPT_RUNS = ("answer_save_one_attempt.warmup.txt", "answer_save_one_attempt.txt")
# Signed-in learners saving at once, each into their own attempt: twice wrk's 32 connections, so that a learner's
# next save leaves after their last one was answered, as ``attempt.js`` saves (one at a time per learner).
SAVE_LEARNERS = 64
RESULT = re.compile(r"rps=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+) requests=(\d+) non2xx=(\d+) .*statuses=(\S*)")


def say(text=""):
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


def ensure_database():
    """Create our side's database when it does not exist yet (the first run fills it)."""
    import psycopg
    from psycopg import sql

    try:
        connection.ensure_connection()
        return
    except OperationalError:
        pass
    database = settings.DATABASES["default"]
    server = {key.lower(): database[key] for key in ("HOST", "PORT", "USER", "PASSWORD") if database.get(key)}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as maintenance:
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
    say(f"created database {database['NAME']}")


def prepare_database():
    """Migrate and load the demo on the first run; then the benchmark course, module and enrolment."""
    ensure_database()
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
    module = ModulePage.objects.child_of(course).get(slug="multichoice")
    if not Enrolment.objects.filter(user=teacher, course=course, status=Enrolment.Status.ACTIVE).exists():
        enrol(teacher, course)
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    return teacher, course, module, package


QUIZ_TITLE = "Benchmark practice quiz"
QUIZ_SIZE = 10  # as the demo's final exam: nine questions drawn from its chapter 4 bank, and its essay


def prepare_quiz(teacher, course):
    """A practice quiz in a second module of the benchmark course, drawing from the demo's bank (nine auto-scored
    questions of every type and the essay, no time limit), and the demo teacher's attempt in progress."""
    chapter = QuestionCategory.objects.get(name_en="Chapter 4: plans for international education")
    essays = QuestionCategory.objects.get(name_en="Chapter 4: essays")
    quiz, created = Quiz.objects.get_or_create(
        title_en=QUIZ_TITLE, defaults={"title_zh": "評比練習測驗", "kind": Quiz.Kind.PRACTICE, "max_attempts": 0}
    )
    if created:
        QuizDraw.objects.create(quiz=quiz, category=chapter, count=QUIZ_SIZE - 1, include_subcategories=False)
        QuizDraw.objects.create(quiz=quiz, category=essays, count=1)
    module = ModulePage.objects.child_of(course).filter(slug="quiz").first()
    if module is None:
        module = course.add_child(
            instance=ModulePage(
                title="練習測驗",
                slug="quiz",
                completion_rule="quiz_passed",
                body=[{"type": "quiz", "value": {"quiz": quiz.pk}}],
            )
        )
        module.save_revision().publish()
    return start_attempt(quiz, module, teacher)


def prepare_learners(attempt, course) -> list:
    """``SAVE_LEARNERS`` of the synthetic teachers (``load_demo``'s scale data), each enrolled in the benchmark
    course with their own attempt of its quiz in progress (each drawn at random, as a learner's is)."""
    learners = list(scale_teachers().order_by("pk")[:SAVE_LEARNERS])
    if len(learners) < SAVE_LEARNERS:
        raise SystemExit(f"{len(learners)} synthetic teachers, {SAVE_LEARNERS} needed: load the demo's scale data")
    attempts = []
    for learner in learners:
        enrol(learner, course)
        attempts.append(start_attempt(attempt.quiz, attempt.module, learner))
    return attempts


def answer_form(attempt) -> str:
    """The attempt form as ``attempt.js`` posts it on a change: every question shown and answered; the essay's text
    is ``%s``, which ``answer_save.lua`` fills with a new text per request, so that every save stores a row."""
    fields = []
    for slot in attempt.slots.select_related("question").order_by("position"):
        prefix, kind = f"s{slot.position}", slot.question.question_type
        fields.append((f"{prefix}-shown", "1"))
        if kind == QuestionType.SINGLE_CHOICE:
            fields.append((f"{prefix}-choice", "0"))
        elif kind == QuestionType.MULTIPLE_RESPONSE:
            fields += [(f"{prefix}-choices", "0"), (f"{prefix}-choices", "1")]
        elif kind == QuestionType.TRUE_FALSE:
            fields.append((f"{prefix}-answer", "true"))
        elif kind in (QuestionType.SHORT_ANSWER, QuestionType.NUMERIC):
            fields.append((f"{prefix}-answer", "12"))
        elif kind == QuestionType.ESSAY:
            fields.append((f"{prefix}-answer", "ESSAY"))
        else:
            letter = {QuestionType.MATCHING: "m", QuestionType.ORDERING: "o", QuestionType.CLOZE: "g"}[kind]
            fields += [(f"{prefix}-{letter}{index}", "1") for index in range(3)]
    if not any(value == "ESSAY" for _name, value in fields):
        raise SystemExit("the benchmark attempt has no essay: its answer text is what makes every save store a row")
    # %-escaped as a form is; the essay's placeholder last, for the Lua script's string.format.
    return urlencode(fields).replace("%", "%%").replace("ESSAY", "%s")


def answer_save_body(folder, attempt) -> Path:
    """The one-attempt variant's form (``answer_form``), for ``answer_save.lua``'s ``BODY_FILE``."""
    body = folder / "answer_save.txt"
    body.write_text(answer_form(attempt))
    return body


def answer_save_learners(folder, attempts) -> Path:
    """Each learner's save as ``answer_save.lua``'s ``LEARNERS_FILE`` lists them: their attempt's save URL, their
    session cookie and CSRF token (signed in as a browser is), their attempt's form."""
    entries = []
    for attempt in attempts:
        cookie, csrf = signed_in(attempt.user)
        fields = [
            ("path", answer_save_path(attempt)),
            ("cookie", cookie),
            ("csrf", csrf),
            ("body", answer_form(attempt)),
        ]
        entries.append("{" + ", ".join(f"{name} = {lua_string(value)}" for name, value in fields) + "}")
    learners = folder / "answer_save_learners.lua"
    learners.write_text("return {\n" + ",\n".join(entries) + "\n}\n")
    return learners


def slot_updates(settle=False):
    """Rows of ``AttemptSlot`` updated since the statistics were reset, as PostgreSQL counts them. A backend
    reports its counts when it is idle or exits: read after our server has stopped, with ``settle`` until two reads
    half a second apart agree (the exiting backends report a moment after their clients are gone)."""
    query = "SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = %s"
    previous = None
    for _attempt in range(20):
        connection.close()  # a new backend: a fresh statistics snapshot
        with connection.cursor() as cursor:
            cursor.execute(query, [AttemptSlot._meta.db_table])
            count = cursor.fetchone()[0]
        if not settle or count == previous:
            return count
        previous = count
        time.sleep(0.5)
    return count


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


def extra_paths(teacher, attempt):
    with override("zh-hant"):
        community = CommunityPage.objects.live().filter(locale=Locale.get_default()).order_by("path").first()
        directory = ExpertIndexPage.objects.live().filter(locale=Locale.get_default()).first()
        return {
            "learner dashboard": reverse("courses:dashboard"),
            "community page": community.url,
            "expert directory": directory.url,
            "quiz attempt page": reverse("assessments:attempt", args=[attempt.pk]),
        }


def answer_save_path(attempt):
    with override("zh-hant"):
        return reverse("assessments:save", args=[attempt.pk])


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
    return wrk_run(base + path, {"METHOD": "GET", "COOKIE": cookie, "ORIGIN": ""}, label, duration, out)


def wrk_run(url, env, label, duration, out, script=PEER_BENCH / "bench.lua"):
    """A 5 s warm-up, then the measured run, with the harness's wrk settings (``-t2 -c32``); both outputs kept."""
    env = {**os.environ, **env, "LABEL": label}
    load = load_average()
    command = ["wrk", "-t2", "-c32", f"-d{duration}", "--latency", "-s", str(script), url]
    warmup = subprocess.run([*command[:3], "-d5s", *command[4:]], env=env, check=True, capture_output=True, text=True)
    (out / f"{label}.warmup.txt").write_text(warmup.stdout)
    text = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    (out / f"{label}.txt").write_text(text)
    return {**parse_result(text), "load": load}


def serve_ours(server):
    kind, _, shape = server.partition(":")
    if kind == "sync":
        options = ["--worker-class=sync", f"--workers={shape or 4}"]
    else:
        workers, _, threads = (shape or "2x4").partition("x")
        options = ["--worker-class=gthread", f"--workers={workers}", f"--threads={threads}"]
    process = subprocess.Popen(
        # No control socket: gunicorn 27 puts one per user in ~/.gunicorn, which another server would share.
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lms.wsgi",
            *options,
            f"--bind={OURS}",
            "--timeout=60",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        wait_for(f"http://{OURS}/healthz", seconds=300)  # a loaded shared machine boots Wagtail slowly
    except SystemExit:
        process.terminate()  # never left serving on the port when the run stops
        raise
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
    attempt, answers, learners = extra or (None, None, None)
    slots_before = slot_updates(settle=True)
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
        if attempt is not None:
            # The yardstick again, just before and just after the extra endpoints: a shared machine's load moves
            # within a turn, and each extra is judged against the module page measured beside it.
            results["module page, before"] = wrk_get(base, module.url, cookie, "module_before", duration, out)
            for label, path in extra_paths(teacher, attempt).items():
                results[label] = wrk_get(base, path, cookie, label.replace(" ", "_"), duration, out)
            # Last: the answer save, a form post whose essay text is new on every request, by SAVE_LEARNERS
            # learners at once, each into their own attempt.
            save_env = {"ORIGIN": base, "LEARNERS_FILE": str(learners), "THREADS": "2"}
            results["answer save"] = wrk_run(base, save_env, "answer_save", duration, out, ANSWER_SAVE_LUA)
            results["module page, after"] = wrk_get(base, module.url, cookie, "module_after", duration, out)
            # The module page's run let the savers' backends report their counts (at most a second after their
            # last transaction): the rows of the learners' saves, apart from those of the one-attempt variant.
            slots_between = slot_updates(settle=True)
            # For comparison with the earlier runs, not judged: all 32 connections saving into one attempt of one
            # learner, queued on that attempt's lock.
            one_env = {"COOKIE": cookie, "CSRF": csrf, "ORIGIN": base, "BODY_FILE": str(answers)}
            results["answer save, one attempt"] = wrk_run(
                base + answer_save_path(attempt), one_env, "answer_save_one_attempt", duration, out, ANSWER_SAVE_LUA
            )
    finally:
        process.terminate()
        process.wait()
    if attempt is not None:
        # Rows really stored: PostgreSQL's count of AttemptSlot rows updated, read once our server's connections
        # have closed (a backend reports its counts when it exits), against the saves answered 200 ("saved").
        slots_after = slot_updates(settle=True)
        for key, runs, rows in (
            ("answer save", SAVE_RUNS, slots_between - slots_before),
            ("answer save, one attempt", ONE_ATTEMPT_RUNS, slots_after - slots_between),
        ):
            save = results[key]
            saved = sum(parse_result((out / name).read_text())["codes"].get(200, 0) for name in runs)
            save["rows_check"] = (rows, saved)
            save["stored"] = save["codes"].get(200, 0)
            save["stored_rps"] = save["stored"] / save["seconds"]
            if rows < saved:
                say(f"  {key}: {rows} rows updated but {saved} saves answered 200")
    return results


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


# (key in a turn's results, name in the table); the writes count what was stored, not what was answered.
ENDPOINTS = (
    ("a_lesson", "module page"),
    ("b_xapi", "xAPI statement, stored"),
    ("c_course", "course page"),
    ("player frame", "module's player frame"),
    ("page + frame", "module page + frame"),
    ("module page, before", "module page again, before the extras"),
    ("learner dashboard", "learner dashboard"),
    ("community page", "community page"),
    ("expert directory", "expert directory"),
    ("quiz attempt page", "quiz attempt page"),
    ("answer save", f"quiz answer save, {SAVE_LEARNERS} learners, stored"),
    ("module page, after", "module page again, after the extras"),
    ("answer save, one attempt", "quiz answer save, one attempt (not judged), stored"),
)
EXTRA = ("learner dashboard", "community page", "expert directory", "quiz attempt page", "answer save")


def rate(result):
    return result.get("stored_rps", result["rps"])


def report(rows):
    """The run as markdown: every measurement, then ours / the peer per round, then the extra endpoints against our
    module page measured just before and just after them (the mean of the two) in the same turn."""
    lines = [
        "req/s: requests answered 2xx per second, writes: rows stored per second (the rows column: rows the "
        "database holds after the turn / answers saying stored); load: 1-minute load average when the run started",
        "",
        "| round | server | endpoint | req/s | p50 ms | p99 ms | p99/p50 | load | rows |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for round_number, label, load, results in rows:
        for key, name in ENDPOINTS:
            if key not in results:
                continue
            result = results[key]
            tail = f"{result['p99'] / result['p50']:.1f}" if result["p50"] else "—"
            stored = "{} / {}".format(*result["rows_check"]) if "rows_check" in result else ""
            lines.append(
                f"| {round_number} | {label} | {name} | {rate(result):.0f} | {result['p50']:.0f} | "
                f"{result['p99']:.0f} | {tail} | {result.get('load', load)} | {stored} |"
            )
    peers = {round_number: results for round_number, label, _load, results in rows if label == "peer"}
    ours = [(n, label, results) for n, label, _load, results in rows if label != "peer"]
    if peers:
        lines += ["", "| round | server | module page | xAPI stored | course page | module page + frame |"]
        lines.append("| --- | --- | ---: | ---: | ---: | ---: |")
        for round_number, label, results in ours:
            peer = peers.get(round_number)
            if peer:
                ratios = [rate(results[key]) / rate(peer[key]) for key in ("a_lesson", "b_xapi", "c_course")]
                ratios.append(rate(results["page + frame"]) / rate(peer["a_lesson"]))
                lines.append(f"| {round_number} | {label} ÷ peer | " + " | ".join(f"{r:.2f}×" for r in ratios) + " |")
    if any(key in results for _n, _label, results in ours for key in EXTRA):
        lines += ["", "| round | server | " + " | ".join(EXTRA) + " |", "| --- | --- |" + " ---: |" * len(EXTRA)]
        for round_number, label, results in ours:
            yardstick = [results[key] for key in ("module page, before", "module page, after") if key in results]
            module_rate = statistics.mean(rate(result) for result in yardstick or [results["a_lesson"]])
            cells = [
                f"{rate(results[key]) / module_rate:.2f}× {'✓' if rate(results[key]) >= module_rate else '✗'}"
                if key in results
                else "—"
                for key in EXTRA
            ]
            lines.append(
                f"| {round_number} | {label} ÷ our module page ({module_rate:.0f} req/s) | " + " | ".join(cells) + " |"
            )
    return "\n".join(lines) + "\n"


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
    extra = None
    if not arguments.no_extra:
        attempt = prepare_quiz(teacher, course)
        learners = answer_save_learners(folder, prepare_learners(attempt, course))
        extra = (attempt, answer_save_body(folder, attempt), learners)
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
                results = ours_turn(server, teacher, module, course, body, out, arguments.duration, extra)
            rows.append((round_number, label, load, results))
            say(
                f"round {round_number} {label} (load {load}): "
                + ", ".join(
                    f"{key} {figure(value, 'stored_rps' if 'stored_rps' in value else 'rps')}"
                    for key, value in results.items()
                )
            )
            for key in ("b_xapi", "answer save", "answer save, one attempt"):
                if "rows_check" in results.get(key, {}):
                    stored, answered = results[key]["rows_check"]
                    say(f"  {key}: rows stored during the turn {stored}, answers saying stored {answered}")
    table = report(rows)
    (folder / "results.md").write_text(table)
    say("\n" + table)
    say(f"raw output: {folder}")


if __name__ == "__main__":
    main()
