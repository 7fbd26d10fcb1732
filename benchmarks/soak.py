"""Soak: a bounded mixed load against a real gunicorn on 127.0.0.1, counting 5xx answers and watching memory.

Mixes what the site does all day: teachers browsing pages, the H5P player posting xAPI statements, and the
public verifying certificates by code (valid, unknown and malformed codes). It ends with the number of 5xx
answers (must be 0), the answers per status, and the server's resident memory (master + workers) sampled over
the run, which must level off rather than climb. Rate limits answer 429 on purpose: they are counted, not errors.

Needs a database with the demo content (``manage.py load_demo``), named by DATABASE_URL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_soak .venv/bin/python benchmarks/soak.py --minutes 10
"""

import argparse
import http.cookiejar
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEACHER = ("teacher@demo.ie-academy.tw", "Teacher-demo-2026")
ADL = "http://adlnet.gov/expapi/verbs/"


def site_facts():
    """Page URLs, the demo teacher's H5P modules and some verification codes, read from the database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    import django

    django.setup()
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


class Session:
    """One visitor: a cookie jar, the CSRF token, and the status of every answer."""

    def __init__(self, base, statuses):
        self.base = base
        self.statuses = statuses
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, path, data=None, headers=None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        except OSError as error:  # a refused or reset connection is a failure like a 5xx
            status, body = f"connection error: {type(error).__name__}", b""
        self.statuses[status] += 1
        return status, body

    def csrf_token(self):
        for handler in self.opener.handlers:
            if isinstance(handler, urllib.request.HTTPCookieProcessor):
                for cookie in handler.cookiejar:
                    if cookie.name == "csrftoken":
                        return cookie.value
        return ""

    def sign_in(self, email, password):
        _status, body = self.request("/zh-hant/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        form = urllib.parse.urlencode({"login": email, "password": password, "csrfmiddlewaretoken": token})
        status, _body = self.request(
            "/zh-hant/accounts/login/", form.encode(), {"Referer": self.base + "/zh-hant/accounts/login/"}
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
    while not stop.is_set():
        session.request(random.choice(pages))


def player(session, modules, stop):
    session.request("/zh-hant/learning/")
    while not stop.is_set():
        module_id, package_id, activity, library = random.choice(modules)
        body = json.dumps(
            {"module_id": module_id, "package_id": package_id, "statement": xapi_statement(activity, library)}
        ).encode()
        headers = {"Content-Type": "application/json", "X-CSRFToken": session.csrf_token()}
        headers["Referer"] = session.base + "/zh-hant/learning/"
        session.request("/zh-hant/learning/xapi/", body, headers)
        time.sleep(0.2)


def verifier(session, codes, stop):
    while not stop.is_set():
        code = random.choice([random.choice(codes), uuid.uuid4().hex[:12].upper(), "'; DROP TABLE x; --"])
        session.request("/zh-hant/verify/?" + urllib.parse.urlencode({"code": code}))
        time.sleep(0.5)


def resident_kib(pid):
    """RSS of the gunicorn master and its workers, in KiB."""
    total = 0
    for candidate in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{candidate}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def children(pid):
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def report(line):
    sys.stdout.write(line + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--browsers", type=int, default=3)
    parser.add_argument("--players", type=int, default=2)
    parser.add_argument("--verifiers", type=int, default=1)
    arguments = parser.parse_args()
    pages, modules, codes = site_facts()

    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "lms.wsgi",
            f"--bind=127.0.0.1:{arguments.port}",
            f"--workers={arguments.workers}",
            "--max-requests=0",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    base = f"http://127.0.0.1:{arguments.port}"
    statuses = Counter()
    try:
        for _attempt in range(120):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        stop = threading.Event()
        threads = []
        for _index in range(arguments.browsers):
            threads.append(threading.Thread(target=browser, args=(Session(base, statuses), pages, stop)))
        for _index in range(arguments.players):
            session = Session(base, statuses)
            if not session.sign_in(*TEACHER):
                sys.exit("The demo teacher could not sign in.")
            threads.append(threading.Thread(target=player, args=(session, modules, stop)))
        for _index in range(arguments.verifiers):
            threads.append(threading.Thread(target=verifier, args=(Session(base, statuses), codes, stop)))
        for thread in threads:
            thread.start()
        started = time.monotonic()
        memory = []
        while time.monotonic() - started < arguments.minutes * 60:
            memory.append((round(time.monotonic() - started), resident_kib(server.pid)))
            time.sleep(min(30, arguments.minutes * 6))
        memory.append((round(time.monotonic() - started), resident_kib(server.pid)))
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    failures = sum(count for status, count in statuses.items() if not isinstance(status, int) or status >= 500)
    report(f"requests: {sum(statuses.values())} in {arguments.minutes:g} min")
    report("by status: " + ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items(), key=str)))
    report(f"5xx and connection errors: {failures}")
    report("server RSS (s: MiB): " + ", ".join(f"{second}: {kib / 1024:.0f}" for second, kib in memory))
    first, last = memory[len(memory) // 3][1], memory[-1][1]
    report(f"RSS growth over the last two thirds: {(last - first) / 1024:+.1f} MiB")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
