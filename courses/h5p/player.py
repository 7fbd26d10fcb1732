"""What a page needs to play a package, and how xAPI object ids map back to packages.

Package code is hostile (a trainer's library JavaScript runs as it likes), so it never runs on the site's origin.
A module page shows each package in an ``<iframe>`` sandboxed without ``allow-same-origin`` whose document comes
from the content origin (the ``CONTENT_ORIGIN`` setting, e.g. ``https://content.ie-academy.example``; the page's
own host when it is empty). The sandbox gives the frame an opaque origin: it reads no cookie, no storage and no
DOM of the page, its requests carry no cookie of the site, and it cannot navigate the top page. The frame document
(``courses.h5p.views.player_frame``, scripts ``static/courses/js/h5p-frame.js`` and ``h5p-frame-relay.js``) boots
h5p-standalone and hands xAPI statements and saved state to the page with ``postMessage``; the page
(``static/courses/js/h5p-player.js``) accepts them only from its own frame and posts them with the CSRF token
the frame never sees. Package files are loaded through signed, short-lived URLs (``courses.h5p.access``).

xAPI object ids. The top-level activity of a package is ``activity_iri(site_origin, package)``, the same in every
language and module: ``https://<host>/h5p/activities/<content sha256>``. H5P appends ``?subContentId=<id>`` for a
part of the content (a question in a set, a question of our quiz). ``is_activity_of(object_id, package)`` tells
whether a statement's object belongs to a package.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from .access import content_token

ACTIVITY_PATH = "/h5p/activities/"
STANDALONE_STATIC = "h5p-standalone"

# The frame's sandbox: scripts only. Without allow-same-origin the frame's origin is opaque; without
# allow-top-navigation it cannot move the page; without allow-forms/allow-popups it submits and opens nothing.
FRAME_SANDBOX = "allow-scripts"

# Sent with every package file: opened on its own (an SVG, say), it runs no script and loads nothing.
PACKAGE_FILE_CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; font-src 'self' data:; sandbox"
)


def content_origin(request) -> str:
    """The origin package frames and files are served from: ``CONTENT_ORIGIN``, else the request's own."""
    return (settings.CONTENT_ORIGIN or f"{request.scheme}://{request.get_host()}").rstrip("/")


def site_origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def frame_csp(origin, parent_origin, *, evaluates_code=False) -> str:
    """The Content-Security-Policy of a player frame served from ``origin`` inside a page of ``parent_origin``.

    H5P libraries set inline styles, use data: fonts and images and play media from blob: URLs; everything else
    comes from the content origin, named explicitly because a sandboxed document's own origin is opaque. No inline
    script runs: the content plays in the frame document itself (h5p-standalone's "div" embedding), so the
    script h5p-standalone writes into an iframe of its own is never written.
    ``evaluates_code`` adds ``'unsafe-eval'`` for packages whose libraries need it (``H5PPackage.evaluates_code``).
    """
    scripts = [origin] + (["'unsafe-eval'"] if evaluates_code else [])
    directives = {
        "default-src": ["'none'"],
        "script-src": scripts,
        "style-src": [origin, "'unsafe-inline'"],
        "img-src": [origin, "data:", "blob:"],
        "font-src": [origin, "data:"],
        "media-src": [origin, "blob:"],
        "connect-src": [origin],
        "frame-src": [origin],
        "form-action": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
        "frame-ancestors": [parent_origin],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def page_csp(request) -> dict:
    """What a page showing players adds to the site's policy (django-csp's ``_csp_update``): framing the
    content origin. Nothing of the package runs under the page's own policy."""
    return {"frame-src": [content_origin(request)]}


def activity_iri(origin, package) -> str:
    """The xAPI object id of ``package``'s top-level activity (see the module docstring)."""
    return f"{origin}{ACTIVITY_PATH}{package.content_hash}"


def is_activity_of(object_id, package) -> bool:
    """Whether an xAPI object id (top level or ``?subContentId=``) names an activity of ``package``."""
    if not isinstance(object_id, str):
        return False
    return urlsplit(object_id).path == f"{ACTIVITY_PATH}{package.content_hash}"


def _xapi_url(module):
    """The xAPI endpoint (the progress code's): per module if its URL takes one, else shared; "" while absent."""
    for args in ([module.pk], []):
        try:
            return reverse("courses:xapi", args=args)
        except NoReverseMatch:
            continue
    return ""


def player_context(request, module, package) -> dict:
    """The frame and data attributes of one H5P player for ``request.user`` on ``module``.

    Keys: ``id``, ``module_id``, ``package_id``, ``frame_url`` (the frame document on the content origin, with
    the signed token), ``frame_sandbox``, ``activity_iri``, ``xapi_url`` (may be empty), ``user_data_url``.
    """
    token = content_token(request, module, package)
    frame_path = reverse("h5p_content:frame", args=[token])
    return {
        "id": f"{module.pk}-{package.pk}",
        "module_id": module.pk,
        "package_id": package.pk,
        "frame_url": f"{content_origin(request)}{frame_path}",
        "frame_sandbox": FRAME_SANDBOX,
        "activity_iri": activity_iri(site_origin(request), package),
        "xapi_url": _xapi_url(module),
        "user_data_url": reverse("courses:h5p_user_data", args=[module.pk, package.pk]),
    }
