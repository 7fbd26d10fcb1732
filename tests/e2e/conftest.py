"""The browser harness: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test here uses the `live_server`, so it runs in a transactional database (the server thread must see what
the test wrote): on SQLite pytest-django hands the in-memory connection to the server thread, on PostgreSQL both
threads commit to the same test database. `serialized_rollback` brings back what the migrations created (the
Wagtail root page, locales, groups) after each flush.
"""

import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def playwright_driver(django_db_setup):
    """Playwright for one test module.

    Its sync API keeps an asyncio loop running in this thread for as long as it lives, with two effects on Django:
    the guard against ORM calls from async code fires (the test thread is not async code, it only shares the thread
    with the driver), and `django.db.connections`, thread-local only while no loop runs, switches to a fresh
    per-context set of connections. The test would then talk to the database through a second connection, without
    the serialized migration data that restores the database between tests. So the guard is lifted and the
    connections opened before the driver started are put back for the driver's lifetime.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    test_connections = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as driver:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, connection in test_connections.items():
            connections[alias] = connection
        yield driver


@pytest.fixture(scope="module")
def browser(playwright_driver):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: `make system-deps` installs Debian's chromium")
    # Playwright starts Chromium on a fresh temporary profile folder and deletes it when the browser closes.
    chromium = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def browser_context(browser, live_server):
    """A private browsing context (no cookies, no storage) whose relative URLs go to the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        locale="zh-TW",
        timezone_id="Asia/Taipei",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context, request):
    """A tab on the live server. Keeps a screenshot and the page's HTML under test-artifacts/ when the test fails."""
    tab = browser_context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for number, open_tab in enumerate(browser_context.pages):
            keep_failure_artifacts(open_tab, f"{request.node.nodeid}-{number}")
    for open_tab in browser_context.pages:
        settle(open_tab)


def settle(tab):
    """Wait until the tab has no request in flight.

    On SQLite every server thread shares the test's in-memory connection: a late request (a favicon, a beacon)
    still running while the database is flushed and restored for the next test would interleave with it.
    """
    try:
        tab.wait_for_load_state("networkidle", timeout=10_000)
    except PlaywrightError:
        pass


def keep_failure_artifacts(tab, nodeid):
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)
    try:
        tab.screenshot(path=ARTIFACTS / f"{stem}.png", full_page=True)
        (ARTIFACTS / f"{stem}.html").write_text(tab.content(), encoding="utf-8")
    except Exception as error:  # noqa: BLE001 - a broken page must not hide the test's own failure
        (ARTIFACTS / f"{stem}.txt").write_text(f"could not capture the page: {error}\n", encoding="utf-8")


@pytest.fixture
def demo_site():
    """The demo accounts and the site's own pages (home, about, news, help) in both languages."""
    from accounts import demo as accounts_demo
    from home import demo as home_demo

    accounts_demo.load(io.StringIO())
    home_demo.load(io.StringIO())
    return home_demo.home_pages()


@pytest.fixture
def bilingual_home(home_page, locales):
    """The zh-Hant home page and its published English translation."""
    english = home_page.copy_for_translation(locales["en"])
    english.hero_title = "Become an internationally minded teacher"
    english.save_revision().publish()
    return {"zh-hant": home_page, "en": english}
