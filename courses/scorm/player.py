"""What a page needs to play a SCORM package, and the frames it plays in.

The frame layout. The module page (site origin) holds one ``<iframe>`` per package, the *run-time frame*, whose
document comes from the content origin (``CONTENT_ORIGIN``) under a signed token (``courses.h5p.access``, shared
with H5P). The run-time frame holds scorm-again's ``API`` (1.2) or ``API_1484_11`` (2004) object, the table of
contents, and the *SCO frame* that loads a launch file from the same content origin: a SCO finds the API object by
walking up ``window.parent``, which it can only do same-origin, so the run-time frame is sandboxed
``allow-same-origin``; that is safe only because its origin is not the site's (the page refuses to play when
``CONTENT_ORIGIN`` is the site's own origin). The run-time frame never talks to the server: on every commit it
``postMessage``s the CMI data to the page, which accepts it only from its own frame and the content origin and
posts it with the CSRF token (``static/courses/js/scorm-player.js``). What the SCO reports is the browser's word:
its assurance is *reported*.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language

from ..choices import Assurance
from ..h5p.access import content_token
from ..h5p.player import content_origin, site_origin

SCORM_AGAIN_STATIC = "scorm-again"
# The run-time frame must reach its SCO frame (same origin: the content origin), never the page; SCOs ask with
# confirm() whether to resume.
FRAME_SANDBOX = "allow-scripts allow-same-origin allow-forms allow-modals"


def frame_csp(origin, parent_origin) -> str:
    """The policy of the run-time frame and of the package's pages: everything from the content origin (SCORM
    content is made of inline script and styles), framed only by the site's page and the run-time frame."""
    directives = {
        "default-src": [origin],
        "script-src": [origin, "'unsafe-inline'", "'unsafe-eval'"],
        "style-src": [origin, "'unsafe-inline'"],
        "img-src": [origin, "data:", "blob:"],
        "font-src": [origin, "data:"],
        "media-src": [origin, "blob:"],
        "connect-src": [origin],
        "frame-src": [origin],
        "form-action": [origin],
        "base-uri": [origin],
        "object-src": ["'none'"],
        "frame-ancestors": [parent_origin, origin],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def isolated(request) -> bool:
    """Whether packages' pages would run on another origin than the site's (else SCORM does not play)."""
    return content_origin(request) != site_origin(request)


def player_context(request, module, package) -> dict:
    """The run-time frame and data attributes of one SCORM player for ``request.user`` on ``module``."""
    if not isolated(request):
        return {"isolated": False}
    token = content_token(request, module, package)
    return {
        "isolated": True,
        # What the browser's run-time reports, the server cannot check.
        "assurance": Assurance.REPORTED,
        "id": f"scorm-{module.pk}-{package.pk}",
        "module_id": module.pk,
        "package_id": package.pk,
        # The frame is on another origin, without the page's language in its path or cookie: it is told.
        "frame_url": content_origin(request)
        + reverse("scorm_content:frame", args=[token])
        + "?"
        + urlencode({"lang": get_language()}),
        "frame_origin": content_origin(request),
        "frame_sandbox": FRAME_SANDBOX,
        "commit_url": reverse("courses:scorm_commit"),
    }
