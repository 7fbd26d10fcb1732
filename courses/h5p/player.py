"""What a page needs to play a package with h5p-standalone, and how xAPI object ids map back to packages.

The player (``static/courses/js/h5p-player.js``) reads its options from data attributes that
``player_context`` prepares; ``templates/courses/blocks/h5p_block.html`` renders them for each H5P block.

xAPI object ids. The top-level activity of a package is ``activity_iri(request, package)``, the same in every
language and module: ``https://<host>/h5p/activities/<content sha256>``. H5P appends
``?subContentId=<id>`` for a part of the content (a question in a set, a question of our quiz).
``is_activity_of(object_id, package)`` tells whether a statement's object belongs to a package.
"""

import base64
import hashlib
from urllib.parse import urlsplit

from csp.constants import SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse

ACTIVITY_PATH = "/h5p/activities/"
STANDALONE_STATIC = "h5p-standalone"

# h5p-standalone's frame writes this inline script into each player's iframe; a CSP without
# 'unsafe-inline' must allow it by its hash, or the content never starts.
FRAME_INLINE_SCRIPT = "H5PIntegration = window.parent.H5PIntegration; var H5P = H5P || {}; H5P.externalEmbed = false;"
FRAME_INLINE_SCRIPT_SHA256 = base64.b64encode(hashlib.sha256(FRAME_INLINE_SCRIPT.encode()).digest()).decode()
FRAME_INLINE_SCRIPT_HASH = f"'sha256-{FRAME_INLINE_SCRIPT_SHA256}'"

# The Content-Security-Policy directives a page with an H5P player needs on top of a 'self' policy
# (django-csp 4 format): H5P libraries set inline styles, use data: fonts and images, and play media
# from blob: URLs. Nothing comes from another origin.
H5P_PLAYER_CSP = {
    "script-src": [SELF, FRAME_INLINE_SCRIPT_HASH],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "media-src": [SELF, "blob:"],
    "connect-src": [SELF],
    "frame-src": [SELF],
}


def player_csp(packages) -> dict:
    """The CSP directives a page showing ``packages`` needs: ``H5P_PLAYER_CSP``, plus ``'unsafe-eval'`` when
    one of them evaluates code (``H5PPackage.evaluates_code``). For django-csp, e.g. in a page's ``serve``::

        response._csp_update = player_csp(H5PPackage.objects.filter(pk__in=self.h5p_package_ids))
    """
    directives = {name: list(sources) for name, sources in H5P_PLAYER_CSP.items()}
    if any(package.evaluates_code for package in packages):
        directives["script-src"].append(UNSAFE_EVAL)
    return directives


# Sent with every package file: opened on its own (an SVG, say), it runs no script and loads nothing.
PACKAGE_FILE_CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; font-src 'self' data:; sandbox"
)


def activity_iri(request, package) -> str:
    """The xAPI object id of ``package``'s top-level activity (see the module docstring)."""
    return request.build_absolute_uri(f"{ACTIVITY_PATH}{package.content_hash}")


def is_activity_of(object_id, package) -> bool:
    """Whether an xAPI object id (top level or ``?subContentId=``) names an activity of ``package``."""
    if not isinstance(object_id, str):
        return False
    return urlsplit(object_id).path == f"{ACTIVITY_PATH}{package.content_hash}"


def package_base_url(module, package) -> str:
    """The URL under which the player finds ``h5p.json``, ``content/`` and the libraries (no trailing slash)."""
    return reverse("courses:h5p_file", args=[module.pk, package.pk, "h5p.json"]).removesuffix("/h5p.json")


def _xapi_url(module):
    """The xAPI endpoint (the progress code's): per module if its URL takes one, else shared; "" while absent."""
    for args in ([module.pk], []):
        try:
            return reverse("courses:xapi", args=args)
        except NoReverseMatch:
            continue
    return ""


def player_context(request, module, package) -> dict:
    """The data attributes of one H5P player for ``request.user`` on ``module``.

    Keys: ``id``, ``module_id``, ``package_id``, ``h5p_json_path``, ``frame_js``, ``frame_css``,
    ``standalone_js``, ``frame_csrf_js``, ``activity_iri``, ``xapi_url`` (may be empty), ``user_data_url``
    (with the ``:contentId``, ``:dataType`` and ``:subContentId`` placeholders H5P fills in), ``user_name``,
    ``saved_state`` (the learner's last saved state, or "").

    H5P starts the content before an asynchronous state request could answer, so the saved state is
    handed to the player with the page; later saves go to ``user_data_url``.
    """
    # The models import the module blocks that use this module: read when a player is drawn.
    from ..models import ContentUserData

    # One H5PIntegration serves every player on a page, so the URL names the player through H5P's own
    # :contentId placeholder, and each player's id says which module and package it is.
    player_id = f"{module.pk}-{package.pk}"
    user_data_url = reverse("courses:h5p_user_data", args=[module.pk, package.pk]).replace(
        f"/{player_id}/", "/:contentId/"
    )
    user = request.user
    return {
        "id": player_id,
        "module_id": module.pk,
        "package_id": package.pk,
        "h5p_json_path": package_base_url(module, package),
        "frame_js": static(f"{STANDALONE_STATIC}/frame.bundle.js"),
        "frame_css": static(f"{STANDALONE_STATIC}/styles/h5p.css"),
        "standalone_js": static(f"{STANDALONE_STATIC}/main.bundle.js"),
        "frame_csrf_js": static("courses/js/h5p-frame-csrf.js"),
        "activity_iri": activity_iri(request, package),
        "xapi_url": _xapi_url(module),
        "user_data_url": f"{user_data_url}?dataType=:dataType&subContentId=:subContentId",
        # H5P only saves state for a known user; the actor it builds from this is ignored by the server.
        "user_name": (user.get_full_name() or user.get_username()) if user.is_authenticated else "",
        "saved_state": (
            ContentUserData.objects.filter(user=user, package=package, sub_content_id="0", data_type="state")
            .values_list("data", flat=True)
            .first()
            if user.is_authenticated
            else None
        )
        or "",
    }
