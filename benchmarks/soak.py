"""Soak: a bounded mixed load against a real gunicorn on 127.0.0.1 with the production settings, counting 5xx
answers and watching each process's memory.

Mixes what the site does all day: visitors browsing every live page (and the static files those pages link,
served by whitenoise as in production), signed-in teachers' H5P players posting xAPI statements with the CSRF
token, and the public verifying certificates by code (valid, unknown and SQL-looking codes). Every request
carries ``X-Forwarded-Proto: https`` as the TLS-terminating proxy sends it, so the secure cookies, the HTTPS
redirect and the strict CSRF Referer check all run as deployed. Rate limits answer 429 on purpose: they are
counted apart, not errors.

The resident memory (RSS) of the gunicorn master and of each worker is sampled every 30 s. After the warm-up
(caches, connections and lazy imports fill up) a least-squares line is fitted through each process's samples;
the script exits 1 on any 5xx, connection error or worker restart, or when a process's slope after the warm-up
exceeds --max-slope MiB a minute. ``--tracemalloc`` runs gunicorn with benchmarks/soak_probe.py, which makes
every worker record what it allocated between the end of the warm-up and the end of the run.

Needs a database with the demo content, named by DATABASE_URL, and a Redis database for the cache (REDIS_URL);
see "Soak" in benchmarks/README.md for the commands:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_soak REDIS_URL=redis://127.0.0.1:6379/8 \
        .venv/bin/python benchmarks/soak.py --minutes 10
"""

import argparse
import http.cookiejar
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEACHER = ("teacher@demo.ie-academy.tw", "Teacher-demo-2026")
ADL = "http://adlnet.gov/expapi/verbs/"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
STATIC_LINK = re.compile(rb'(?:src|href)="(/static/[^"]+)"')


def production_settings():
    """Django set up with the benchmark's production settings; refuses a debug or per-process cache setup."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    os.environ.setdefault("SECRET_KEY", "soak-only-secret-key-soak-only-secret-key-0123456789")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    cache = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or "redis" not in cache.lower():
        sys.exit(f"The soak needs DEBUG off and the Redis cache (REDIS_URL); got DEBUG={settings.DEBUG}, {cache}.")
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    database = settings.DATABASES["default"]
    return {
        "settings": os.environ["DJANGO_SETTINGS_MODULE"],
        "DEBUG": settings.DEBUG,
        "cache": f"{cache} {settings.CACHES['default']['LOCATION']}",
        "database": f"{database['ENGINE']} {database['NAME']}, CONN_MAX_AGE={database['CONN_MAX_AGE']}",
        "static files": f"{settings.STORAGES['staticfiles']['BACKEND']} from {settings.STATIC_ROOT}",
        "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    }


def site_facts():
    """Page URLs, the demo teacher's H5P modules and some verification codes, read from the database."""
    from wagtail.models import Page

    from certification.models import Certificate
    from courses.h5p.player import ACTIVITY_PATH
    from courses.models import Enrolment, H5PPackage, ModulePage

    pages = [page.url for page in Page.objects.live().filter(depth__gt=1) if page.url]
    enrolled = Enrolment.objects.filter(user__email=TEACHER[0]).values_list("course_id", flat=True)
    modules = []
    for module in ModulePage.objects.live().filter(locale__language_code="zh-hant"):
        if module.h5p_package_ids and module.get_parent().pk in enrolled:
            package = H5PPackage.objects.get(pk=module.h5p_package_ids[0])
            modules.append((module.pk, package.pk, ACTIVITY_PATH + package.content_hash, package.main_library))
    codes = list(Certificate.objects.values_list("verification_code", flat=True)[:20])
    if not (pages and modules and codes):
        sys.exit("The database has no demo content: run `manage.py load_demo` on it first.")
    return pages, modules, codes


class BehindTheProxy(http.cookiejar.DefaultCookiePolicy):
    """The browser speaks HTTPS to the proxy, so it sends back the Secure cookies (session, CSRF)."""

    def return_ok_secure(self, cookie, request):
        return True


class Session:
    """One visitor: a cookie jar, the CSRF token, and the status of every answer."""

    def __init__(self, base, statuses):
        self.base = base
        self.statuses = statuses
        self.cookies = http.cookiejar.CookieJar(BehindTheProxy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect())

    def request(self, path, data=None, headers=None):
        request = urllib.request.Request(self.base + path, data=data, headers={**PROXY_HEADERS, **(headers or {})})
        try:
            with self.opener.open(request, timeout=60) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        except OSError as error:  # a refused or reset connection is a failure like a 5xx
            status, body = f"connection error: {type(error).__name__}", b""
        self.statuses[status] += 1
        return status, body

    def referer(self, path):
        """What a browser on the HTTPS site sends; the CSRF check rejects an http:// or missing Referer."""
        return {"Referer": "https://" + self.base.removeprefix("http://") + path}

    def csrf_token(self):
        return next((cookie.value for cookie in self.cookies if cookie.name == "csrftoken"), "")

    def sign_in(self, email, password):
        _status, body = self.request("/zh-hant/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        form = urllib.parse.urlencode({"login": email, "password": password, "csrfmiddlewaretoken": token})
        status, _body = self.request(
            "/zh-hant/accounts/login/", form.encode(), self.referer("/zh-hant/accounts/login/")
        )
        return status == 302


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def xapi_statement(activity, library):
    return {
        "id": str(uuid.uuid4()),
        "actor": {"name": "learner", "mbox": "mailto:learner@users.invalid", "objectType": "Agent"},
        "verb": {"id": ADL + "attempted", "display": {"en-US": "attempted"}},
        "object": {"id": "http://127.0.0.1" + activity, "objectType": "Activity"},
        "context": {"contextActivities": {"category": [{"id": f"http://h5p.org/libraries/{library}-1.0"}]}},
    }


def browser(session, pages, stop):
    """Pages in random order; a tenth of the time the page's stylesheets, scripts and icons too (a cold cache)."""
    while not stop.is_set():
        _status, body = session.request(random.choice(pages))
        if random.random() < 0.1:
            for link in set(STATIC_LINK.findall(body)):
                session.request(link.decode())


def player(session, modules, stop):
    session.request("/zh-hant/learning/")
    while not stop.is_set():
        module_id, package_id, activity, library = random.choice(modules)
        body = json.dumps(
            {"module_id": module_id, "package_id": package_id, "statement": xapi_statement(activity, library)}
        ).encode()
        headers = {"Content-Type": "application/json", "X-CSRFToken": session.csrf_token()}
        session.request("/zh-hant/learning/xapi/", body, headers | session.referer("/zh-hant/learning/"))
        time.sleep(0.2)


def verifier(session, codes, stop):
    while not stop.is_set():
        code = random.choice([random.choice(codes), uuid.uuid4().hex[:12].upper(), "'; DROP TABLE x; --"])
        session.request("/zh-hant/verify/?" + urllib.parse.urlencode({"code": code}))
        time.sleep(0.5)


def resident_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return None


def children(pid):
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def slope(points):
    """Least-squares slope of (seconds, KiB) points, in MiB a minute."""
    if len(points) < 2:
        return 0.0
    mean_t = sum(t for t, _ in points) / len(points)
    mean_m = sum(m for _, m in points) / len(points)
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    return sum((t - mean_t) * (m - mean_m) for t, m in points) / spread * 60 / 1024


def start_server(arguments, probe_folder, log):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "lms.wsgi",
        f"--bind=127.0.0.1:{arguments.port}",
        f"--workers={arguments.workers}",
        "--max-requests=0",  # no recycling: a leak must show, not be hidden by restarts
        "--log-level=warning",
    ]
    environment = os.environ.copy()
    if probe_folder:
        # Writing a snapshot holds the GIL for seconds on a loaded machine: no heartbeat timeouts because of it.
        command += [f"--config={ROOT / 'benchmarks' / 'soak_probe.py'}", "--timeout=300"]
        environment |= {"SOAK_PROBE_DIR": str(probe_folder), "SOAK_WARMUP_SECONDS": str(arguments.warmup * 60)}
    return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)


def wait_for(base):
    for _attempt in range(120):
        try:
            urllib.request.urlopen(urllib.request.Request(base + "/healthz", headers=PROXY_HEADERS), timeout=5)
            return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn did not answer /healthz.")


def probe_findings(folder, workers):
    """What each worker allocated, and which object types multiplied, between the warm-up and the end."""
    for pid in workers:
        try:
            warm = tracemalloc.Snapshot.load(str(folder / f"{pid}-warm.snapshot"))
            last = tracemalloc.Snapshot.load(str(folder / f"{pid}-last.snapshot"))
            warm_counts = json.loads((folder / f"{pid}-warm.json").read_text())
            last_counts = json.loads((folder / f"{pid}-last.json").read_text())
        except FileNotFoundError:
            report(f"worker {pid}: no probe snapshots (the run must last the warm-up plus a minute)")
            continue
        differences = last.compare_to(warm, "traceback")
        grown = sum(difference.size_diff for difference in differences)
        report(f"worker {pid}: traced memory {grown / 1024:+.0f} KiB from the warm-up to the last snapshot; top:")
        for difference in differences[:8]:
            frames = " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in difference.traceback[:4])
            report(f"  {difference.size_diff / 1024:+8.1f} KiB {difference.count_diff:+6d} blocks  {frames}")
        types = Counter(last_counts)
        types.subtract(warm_counts)
        report("  objects by type: " + ", ".join(f"{name} {count:+d}" for name, count in types.most_common(8)))


def report(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=4, help="minutes left out of the memory slope")
    parser.add_argument("--max-slope", type=float, default=0.2, help="MiB a minute per process after the warm-up")
    parser.add_argument("--sample-seconds", type=float, default=30)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--browsers", type=int, default=3)
    parser.add_argument("--players", type=int, default=2)
    parser.add_argument("--verifiers", type=int, default=1)
    parser.add_argument("--tracemalloc", action="store_true", help="record what each worker allocates (slower)")
    arguments = parser.parse_args()
    configuration = production_settings()
    pages, modules, codes = site_facts()
    for name, value in configuration.items():
        report(f"{name}: {value}")
    report(
        f"gunicorn: {arguments.workers} sync workers, no max-requests; load: {arguments.browsers} browsers, "
        f"{arguments.players} players, {arguments.verifiers} verifiers; {len(pages)} pages"
    )

    probe_folder = Path(tempfile.mkdtemp(prefix="soak-probe-")) if arguments.tracemalloc else None
    log_path = Path(tempfile.mkstemp(prefix="soak-gunicorn-", suffix=".log")[1])
    report(f"gunicorn's log (Django warns once per 404 and 429): {log_path}")
    server = start_server(arguments, probe_folder, log_path.open("w"))
    base = f"http://127.0.0.1:{arguments.port}"
    statuses = Counter()
    samples = []  # (second, load average, {pid: KiB})
    try:
        wait_for(base)
        workers = children(server.pid)
        stop = threading.Event()
        threads = [
            threading.Thread(target=browser, args=(Session(base, statuses), pages, stop))
            for _index in range(arguments.browsers)
        ]
        for _index in range(arguments.players):
            session = Session(base, statuses)
            if not session.sign_in(*TEACHER):
                sys.exit("The demo teacher could not sign in.")
            threads.append(threading.Thread(target=player, args=(session, modules, stop)))
        threads += [
            threading.Thread(target=verifier, args=(Session(base, statuses), codes, stop))
            for _index in range(arguments.verifiers)
        ]
        for thread in threads:
            thread.start()
        started = time.monotonic()
        processes = [server.pid, *workers]
        names = ["master", *(f"worker {pid}" for pid in workers)]
        report("RSS, MiB | second | load | requests | " + " | ".join(names) + " | total")
        while True:
            elapsed = time.monotonic() - started
            rss = {pid: resident_kib(pid) or 0 for pid in processes}
            samples.append((round(elapsed), os.getloadavg()[0], rss))
            report(
                f"  {samples[-1][0]:5d} | {samples[-1][1]:4.1f} | {sum(statuses.values()):8d} | "
                + " | ".join(f"{rss[pid] / 1024:6.1f}" for pid in processes)
                + f" | {sum(rss.values()) / 1024:6.1f}"
            )
            if elapsed >= arguments.minutes * 60:
                break
            time.sleep(min(arguments.sample_seconds, arguments.minutes * 60 - elapsed))
        stop.set()
        for thread in threads:
            thread.join()
        time.sleep(1)
        restarted = sorted(set(children(server.pid)) ^ set(workers))
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()

    failures = sum(count for status, count in statuses.items() if not isinstance(status, int) or status >= 500)
    report(f"requests: {sum(statuses.values())} in {arguments.minutes:g} min")
    report("by status: " + ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items(), key=str)))
    report(f"5xx and connection errors: {failures}; workers restarted: {len(restarted)}")
    settled = [sample for sample in samples if sample[0] >= arguments.warmup * 60]
    slopes = {}
    for pid, name in zip(processes, names, strict=True):
        slopes[name] = slope([(second, rss[pid]) for second, _load, rss in settled if rss[pid]])
    loads = [load for _second, load, _rss in samples]
    report(
        f"slope after the {arguments.warmup:g}-minute warm-up, MiB/min: "
        + ", ".join(f"{name} {value:+.3f}" for name, value in slopes.items())
        + f" (limit {arguments.max_slope:g}); load average {min(loads):.1f}–{max(loads):.1f}"
    )
    if probe_folder:
        probe_findings(probe_folder, workers)
    growing = [name for name, value in slopes.items() if value > arguments.max_slope]
    if growing:
        report("memory still growing after the warm-up: " + ", ".join(growing))
    sys.exit(1 if failures or restarted or growing or len(settled) < 2 else 0)


if __name__ == "__main__":
    main()
