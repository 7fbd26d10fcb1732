"""A hostile package cannot act as the person viewing it (Debian's Chromium through Playwright).

The package is a real one from ../shared/h5p/ with one more library script, as a trainer could upload: it passes
the validator (library folders may hold JavaScript, as H5P requires). Viewed by a staff member with two factors,
the worst viewer to be, its script tries to read the cookies, the page's DOM and CSRF token, to fetch the admin
and post a completion with the viewer's cookies, to open a window and to move the top page. Each attempt must fail,
and no request of the package's may reach the site with the viewer's session. Both ways of serving the frame are
tried: from a content origin of its own (CONTENT_ORIGIN, a second host name for the live server) and from the
site's own host (CONTENT_ORIGIN empty), where only the sandbox stands between the package and the site.
"""

import io
import json
import zipfile

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from courses.models import ContentUserData, H5PPackage, XAPIStatement
from tests.e2e.conftest import browser, browser_context, page, playwright_driver  # noqa: F401 - fixtures
from tests.e2e.learning import h5p_frame, wait_until

from .factories import CourseIndexPageFactory, CoursePageFactory, ModulePageFactory, UserFactory
from .h5p_packages import real_package

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REAL = "H5P.TrueFalse-h5p-standalone-test.h5p"
MAIN_LIBRARY = "H5P.TrueFalse-1.6"
FORGED_ID = "6f1d3c9e-0000-4000-8000-00000000beef"

HOSTILE_SCRIPT = """
(function () {
  var SITE = %(site)s;
  var report = {};
  function attempt(name, action) {
    try {
      report[name] = { ok: true, value: String(action()) };
    } catch (error) {
      report[name] = { ok: false, error: error.name };
    }
  }
  attempt('cookie', function () { return document.cookie; });
  attempt('parentDocument', function () { return parent.document.title; });
  attempt('topCookie', function () { return top.document.cookie; });
  attempt('csrfToken', function () {
    return parent.document.querySelector('[data-csrf-token]').getAttribute('data-csrf-token');
  });
  attempt('parentStorage', function () { return parent.localStorage.length; });
  attempt('openWindow', function () { return window.open(SITE + '/admin/') === null ? 'blocked' : 'opened'; });
  attempt('topNavigation', function () { top.location.href = SITE + '/zh-hant/?hijacked=1'; return 'navigated'; });
  function fetched(name, url, options) {
    return fetch(url, Object.assign({ credentials: 'include' }, options)).then(
      function (response) {
        return response.text().then(function (body) {
          report[name] = { ok: true, status: response.status, body: body.slice(0, 200) };
        });
      },
      function (error) { report[name] = { ok: false, error: error.name }; }
    );
  }
  var forged = {
    module_id: %(module_id)s,
    package_id: %(package_id)s,
    statement: {
      id: %(forged_id)s,
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
      object: { id: %(activity)s },
      result: { completion: true, success: true, score: { raw: 1, max: 1 } }
    }
  };
  Promise.all([
    fetched('adminFetch', SITE + '/admin/', {}),
    fetched('adminNoCors', SITE + '/admin/', { mode: 'no-cors' }),
    fetched('xapiFetch', SITE + %(xapi)s, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(forged)
    }),
    fetched('stateFetch', SITE + %(state)s, { method: 'POST', body: new URLSearchParams({ data: '{"x":1}' }) })
  ]).then(function () {
    document.documentElement.setAttribute('data-hostile-report', JSON.stringify(report));
  });
})();
"""


def hostile_package():
    """The real TrueFalse package with a ``hostile.js`` preloaded by its main library (written once ids are known)."""
    source = zipfile.ZipFile(real_package(REAL))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == f"{MAIN_LIBRARY}/library.json":
                library = json.loads(data)
                library["preloadedJs"].insert(0, {"path": "hostile.js"})
                data = json.dumps(library).encode()
            archive.writestr(info, data)
        archive.writestr(f"{MAIN_LIBRARY}/hostile.js", "/* filled in below */")
    return out.getvalue()


def aim_the_script(package, site, module):
    """Write the attack into the stored package, aimed at this module and package as an attacker who knows the
    ids would (they are only known once the package is stored)."""
    script = HOSTILE_SCRIPT % {
        "site": json.dumps(site),
        "module_id": module.pk,
        "package_id": package.pk,
        "forged_id": json.dumps(FORGED_ID),
        "activity": json.dumps(f"{site}/h5p/activities/{package.content_hash}"),
        "xapi": json.dumps(reverse("courses:xapi")),
        "state": json.dumps(
            reverse("courses:h5p_user_data", args=[module.pk, package.pk]) + "?dataType=state&subContentId=0"
        ),
    }
    name = package.file_path(f"{MAIN_LIBRARY}/hostile.js")
    default_storage.delete(name)
    default_storage.save(name, ContentFile(script.encode()))


def sign_in_as_staff(context, live_server):
    viewer = UserFactory(email="registrar@moe.example.tw", is_staff=True, is_superuser=True)
    TOTP.activate(viewer, generate_totp_secret())
    session = SessionStore()
    session[SESSION_KEY] = str(viewer.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = viewer.get_session_auth_hash()
    session.save()
    # As Django sets it: SameSite=Lax, HttpOnly.
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
                "sameSite": "Lax",
                "httpOnly": True,
            }
        ]
    )
    return viewer


@pytest.mark.parametrize("origin", ["content origin", "same host, sandbox only"])
def test_hostile_package_cannot_act_as_the_viewer(page, browser_context, live_server, home_page, settings, origin):  # noqa: F811
    settings.CONTENT_ORIGIN = (
        live_server.url.replace("://localhost:", "://content.localhost:") if origin == "content origin" else ""
    )
    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page), slug="hostile")
    module = ModulePageFactory(parent=course, slug="hostile-preview")
    package = H5PPackage.from_upload(ContentFile(hostile_package(), name="hostile.h5p"))
    module.body = [("h5p", {"package": package, "title": "Preview"})]
    module.save_revision().publish()
    aim_the_script(package, live_server.url, module)
    sign_in_as_staff(browser_context, live_server)

    requests = []
    page.on("request", lambda request: requests.append(request))
    page.goto(module.url)
    top_url = page.url
    frame = h5p_frame(page)
    report = json.loads(frame.locator("html[data-hostile-report]").get_attribute("data-hostile-report"))

    # Nothing of the site's could be read.
    for name in ("cookie", "parentDocument", "topCookie", "csrfToken", "parentStorage"):
        assert report[name] == {"ok": False, "error": "SecurityError"}, (name, report[name])
    # Nor could it leave the frame.
    assert report["openWindow"]["value" if report["openWindow"]["ok"] else "error"] in ("blocked", "SecurityError")
    assert len(browser_context.pages) == 1
    page.wait_for_timeout(500)
    assert page.url == top_url and "hijacked" not in page.url
    # Every fetch failed in the frame, or reached the site without the viewer's session.
    assert report["adminFetch"] == {"ok": False, "error": "TypeError"}
    assert report["xapiFetch"] == {"ok": False, "error": "TypeError"}
    assert report["stateFetch"] == {"ok": False, "error": "TypeError"}
    to_site = [request for request in requests if request.url.startswith(live_server.url)]
    # The frame's own document is loaded by the page (same-host mode: with the page's cookies, which the
    # sandboxed document then cannot read); everything after that is the frame's doing.
    from_the_frame = [
        request
        for request in to_site
        if request.frame != page.main_frame
        and not ("/h5p-content/" in request.url and request.resource_type == "document")
    ]
    assert all(
        settings.SESSION_COOKIE_NAME not in (request.all_headers().get("cookie") or "") for request in from_the_frame
    )
    if origin == "content origin":
        # The frame's own policy keeps it from even asking the site.
        assert not from_the_frame, [request.url for request in from_the_frame]
    else:
        assert {request.url for request in from_the_frame} >= {f"{live_server.url}/admin/"}
    # The page itself still talks to the site as the viewer: the session was there to steal.
    assert any(
        settings.SESSION_COOKIE_NAME in (r.all_headers().get("cookie") or "")
        for r in to_site
        if r.frame == page.main_frame
    )

    # Nothing was stored as the viewer: no forged completion, no state.
    assert not XAPIStatement.objects.filter(statement_id=FORGED_ID).exists()
    assert not XAPIStatement.objects.filter(verb__endswith="completed").exists()
    assert not ContentUserData.objects.exists()
    # The content itself still plays, and the page relays its statements with the token the frame never saw (the
    # server then refuses them: the viewer is not enrolled).
    frame.get_by_role("radio", name="False").click()
    frame.get_by_role("button", name="Check").click()
    # Whatever language the test thread last activated: the page posts to its own language's endpoint.
    xapi_path = "/learning/xapi/"

    def relayed_answer():
        for request in requests:
            if request.url.endswith(xapi_path) and request.frame == page.main_frame:
                statement = request.post_data_json["statement"]
                if statement["verb"]["id"].endswith("answered"):
                    return request
        return None

    relayed = wait_until(relayed_answer, seconds=60, page=page)
    assert relayed.all_headers()["x-csrftoken"]
    assert relayed.post_data_json["statement"]["id"] != FORGED_ID
    assert not XAPIStatement.objects.filter(statement_id=FORGED_ID).exists()
