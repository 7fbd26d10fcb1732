"""Benchmark 3: HTTP under load. gunicorn (production settings, PostgreSQL with the `seed_scale` data set,
conn_max_age) and wrk on the same machine, 30 s at 32 connections per page; prints the README's table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_scale REDIS_URL=redis://127.0.0.1:6379/3 \
        .venv/bin/python benchmarks/http_load.py [--duration 30] [--connections 32] [--workers 2] [--threads 4] \
        [--only verification|course|dashboard|xapi|experts|search]

gunicorn runs one process per core with threads (``gthread``): a request waiting on PostgreSQL or Redis leaves its
core to another thread of the same process, and the connections are kept alive, which sync workers cannot do (each
request would pay a new TCP connection). wrk runs one thread: it needs a fraction of a core for a few hundred
requests a second, and a second thread only takes CPU from the server it measures.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-benchmark-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.translation import override  # noqa: E402

from accounts.scale import scale_teachers  # noqa: E402
from certification.models import Certificate  # noqa: E402
from courses.h5p.player import ACTIVITY_PATH  # noqa: E402
from courses.models import CoursePage, Enrolment, H5PPackage  # noqa: E402
from resources.models import Resource  # noqa: E402
from search.indexing import rebuild as rebuild_search_index  # noqa: E402
from search.models import Kind, SearchDocument  # noqa: E402

ADDRESS = os.environ.get("HTTP_LOAD_ADDRESS", "127.0.0.1:8765")  # host:port for gunicorn
LEARNERS = 256  # the intake allows 120 statements a minute per learner
PAGES = ["verification", "course", "dashboard", "xapi", "experts", "search"]
# Site search as teachers type it (issue 19): words and phrases of the exchange's topics in Chinese and English,
# short and long, two-word queries, typing slips and words nothing holds (a correction is looked for), Taiwan
# written either way, filtered by type or by a resource facet, and second pages. Every request of a round is a
# different query: ``search_paths`` makes several hundred distinct ones.
SEARCH_WORDS_ZH = [
    "姊妹校",
    "視訊交流",
    "姊妹校視訊交流",
    "聯合國",
    "永續發展",
    "聯合國永續發展目標",
    "跨文化",
    "溝通",
    "跨文化溝通",
    "全球公民",
    "公民行動",
    "國際新聞",
    "新聞閱讀",
    "多元文化",
    "節慶",
    "文化節慶",
    "教案",
    "學習單",
    "評量規準",
    "國際教育",
    "台灣",
    "臺灣",
    "國際交流",
    "專業成長",
    "雙語",
    "課程設計",
]
SEARCH_WORDS_EN = [
    "sister school",
    "video exchange",
    "sdgs",
    "intercultural communication",
    "communication",
    "global citizenship",
    "citizenship",
    "international news",
    "news",
    "festivals",
    "cultures",
    "lesson plan",
    "worksheets",
    "international education",
    "exchange",
    "professional growth",
    "planning",
    "foundations",
]
SEARCH_SLIPS = ["sistr school", "intercultral", "citizenshp", "festivls", "姊妺校", "跨文話溝通", "國際教肓", "zzqx"]
SEARCH_FILTERS = [
    {},
    {"school_level": "elementary"},
    {"school_level": "junior_high"},
    {"kind": "resource"},
    {"kind": "course"},
    {"theme": "global_citizenship"},
    {"page": "2"},
]


def search_paths(limit=None):
    """Distinct search addresses in a fixed, mixed order (``limit`` of them, or all)."""
    queries = SEARCH_WORDS_ZH + SEARCH_WORDS_EN + SEARCH_SLIPS
    queries += [f"{first} {second}" for first, second in zip(SEARCH_WORDS_ZH, SEARCH_WORDS_ZH[3:], strict=False)]
    queries += [f"{first} {second}" for first, second in zip(SEARCH_WORDS_EN, SEARCH_WORDS_EN[5:], strict=False)]
    paths = []
    with override("zh-hant"):
        base = reverse("search:results")
    for number, query in enumerate(queries):
        for step, extra in enumerate(SEARCH_FILTERS):
            if (number + step) % 2 == 0 or not extra:  # every query plain, about half the filters each
                paths.append(f"{base}?{urlencode({'q': query, **extra})}")
    return paths[:limit]


POST_SCRIPT = """
local learners = %(learners)s
local counter = 0
function init(args)
  math.randomseed(os.time() + tonumber(string.sub(tostring({}), 8), 16))
end
function request()
  counter = counter + 1
  local learner = learners[(counter %% #learners) + 1]
  local id = string.format("%%08x-%%04x-4%%03x-a%%03x-%%06x%%06x", math.random(0, 0x7fffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(0, 0xfff), math.random(0, 0xffffff), math.random(0, 0xffffff))
  local body = string.format(learner.body, id)
  return wrk.format("POST", "%(path)s", {["Cookie"] = learner.cookie, ["X-CSRFToken"] = learner.token,
    ["Content-Type"] = "application/json", ["Host"] = "127.0.0.1"}, body)
end
"""
SEARCH_SCRIPT = """
local cookies = %(cookies)s
local paths = %(paths)s
local counter = 0
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Cookie"] = cookies[(counter %% #cookies) + 1]})
end
"""
COOKIE_SCRIPT = """
local cookies = %(cookies)s
local counter = 0
function request()
  counter = counter + 1
  return wrk.format("GET", nil, {["Cookie"] = cookies[(counter %% #cookies) + 1]})
end
"""


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal for this ASCII content


def signed_in(user) -> tuple[str, str]:
    """A session cookie and CSRF token for ``user``, as a browser holds them after signing in."""
    client = Client()
    client.force_login(user)
    csrf = "b" * 32
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={csrf}", csrf


def targets(folder: Path) -> dict[str, tuple[str, Path | None]]:
    with override("zh-hant"):
        certificate = Certificate.objects.filter(status="issued").order_by("pk")[1000 % Certificate.objects.count()]
        verify = reverse("certification:verify_certificate", kwargs={"public_id": certificate.public_id})
        course = CoursePage.objects.filter(slug__startswith="scale-", locale__language_code="zh-hant").order_by("pk")
        course_url = course[len(course) // 2].url
        dashboard = reverse("courses:dashboard")
        xapi = reverse("courses:xapi")
        experts = "/zh-hant/experts/?q=%E5%A7%8A%E5%A6%B9%E6%A0%A1&language=en"  # 姊妹校, English-speaking

    teachers = list(scale_teachers().order_by("pk")[:LEARNERS])
    sessions = [signed_in(teacher) for teacher in teachers]
    cookies_lua = "{" + ",".join(lua_string(cookie) for cookie, _token in sessions) + "}"
    dashboard_script = folder / "dashboard.lua"
    dashboard_script.write_text(COOKIE_SCRIPT % {"cookies": cookies_lua})

    search_script = folder / "search.lua"
    searches = search_paths()
    search_script.write_text(
        SEARCH_SCRIPT % {"cookies": cookies_lua, "paths": "{" + ",".join(map(lua_string, searches)) + "}"}
    )
    if SearchDocument.objects.filter(kind=Kind.RESOURCE).count() < Resource.objects.public().count():
        rebuild_search_index()

    learners = []
    enrolments = {e.user_id: e for e in Enrolment.objects.filter(user__in=teachers).select_related("course")}
    for teacher, (cookie, token) in zip(teachers, sessions, strict=True):
        course_page = enrolments[teacher.pk].course
        module = course_page.get_children().live().specific().first()
        package_id = next(iter(module.h5p_package_ids))
        package = H5PPackage.objects.get(pk=package_id)
        statement = {
            "module_id": module.pk,
            "package_id": package_id,
            "statement": {
                "id": "%s",
                "actor": {"name": "learner", "mbox": "mailto:learner@users.invalid", "objectType": "Agent"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
                "object": {"id": f"http://127.0.0.1{ACTIVITY_PATH}{package.content_hash}", "objectType": "Activity"},
                "result": {"score": {"min": 0, "raw": 1, "max": 1, "scaled": 1}, "response": "0"},
            },
        }
        body = json.dumps(statement).replace("%", "%%").replace('"%%s"', '"%s"')
        learners.append(f"{{cookie={lua_string(cookie)}, token={lua_string(token)}, body={lua_string(body)}}}")
    xapi_script = folder / "xapi.lua"
    xapi_script.write_text(POST_SCRIPT % {"learners": "{" + ",".join(learners) + "}", "path": xapi})
    return {
        "verification": ("verification page", verify, None),
        "course": ("course page, anonymous", course_url, None),
        "dashboard": ("teacher dashboard", dashboard, dashboard_script),
        "xapi": ("xAPI statement intake", xapi, xapi_script),
        "experts": ("expert directory search", experts, None),
        "search": (
            f"site search, signed-in teacher, {len(searches)} distinct queries in turn",
            searches[0],
            search_script,
        ),
    }


def wrk(path, script, duration, connections) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run([*command, f"http://{ADDRESS}{path}"], capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "raw": output,
    }


def serve(workers, threads):
    """gunicorn with the production settings on ``ADDRESS``: one process per core, threads within."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lms.wsgi",
            "--worker-class=gthread",
            f"--workers={workers}",
            f"--threads={threads}",
            f"--bind={ADDRESS}",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer at {url}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn processes (one per core)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--only", choices=PAGES, help="run this page only")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="http-load-"))
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    pages = targets(folder)
    server = serve(arguments.workers, arguments.threads)
    try:
        wait_for(f"http://{ADDRESS}/healthz")
        sys.stdout.write("| page | req/s | p50 | p99 | requests | non-2xx |\n")
        sys.stdout.write("| --- | ---: | ---: | ---: | ---: | ---: |\n")
        for key, (name, path, script) in pages.items():
            if arguments.only and arguments.only != key:
                continue
            wrk(path, script, 3, arguments.connections)  # warm every worker's caches and connections
            figures = wrk(path, script, arguments.duration, arguments.connections)
            sys.stdout.write(
                f"| {name} | {figures['rps']:.0f} | {figures['p50']} | {figures['p99']} | {figures['requests']} "
                f"| {figures['non_2xx']} |\n"
            )
            sys.stdout.flush()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
