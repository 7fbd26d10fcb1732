"""Who may load a package's files, and the signed, short-lived URLs that carry the answer to the content origin.

The player frame is sandboxed and served from the content origin, so its requests carry no session cookie. Every
URL it loads instead holds a token in its path, signed with ``SECRET_KEY``, that names the user, the module, the
package (H5P or SCORM) and the site's origin, and expires after ``H5P_CONTENT_URL_SECONDS`` (an hour by default).
Each request checks the token and then the access itself again: the user is still active with the same password,
the module still shows the package and is still visible to the user (enrolment, trainer, staff with two factors),
and the page's view restrictions still admit the user. A token leaked with a URL opens one package, for one user's view
of it, for at most an hour.

Tokens are minted in windows of ``TOKEN_WINDOW_SECONDS``: two page views within one window get the same URLs, so
the browser's cache serves the package's files the second time.
"""

import time

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from wagtail.models import PageViewRestriction

SALT = "courses.h5p.content-url"
TOKEN_WINDOW_SECONDS = 10 * 60
ACCESS_CACHE_SECONDS = 60


class ContentAccessDenied(Exception):
    """The token is forged, expired or names access the user no longer has."""


class _WindowSigner(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) // TOKEN_WINDOW_SECONDS * TOKEN_WINDOW_SECONDS)


def token_lifetime():
    return getattr(settings, "H5P_CONTENT_URL_SECONDS", 60 * 60)


def _password_stamp(user):
    # Changes when the password does, so a token dies with the sessions a password change ends.
    return salted_hmac(SALT, user.get_session_auth_hash()).hexdigest()[:12]


# The kinds of package a module shows: the model, and the module's property listing the ids its body shows.
PACKAGE_KINDS = {"h5ppackage": "h5p_package_ids", "scormpackage": "scorm_package_ids"}


def content_token(request, module, package) -> str:
    """A token for ``request.user`` to load ``package`` as ``module`` shows it (the caller checked the access)."""
    origin = f"{request.scheme}://{request.get_host()}"
    kind = package._meta.model_name
    payload = [request.user.pk, module.pk, package.pk, _password_stamp(request.user), origin, kind]
    return _WindowSigner(salt=SALT).sign_object(payload, compress=True)


def restrictions_admit(user, module) -> bool:
    """Whether the view restrictions on ``module`` and its ancestors (a course closed to a group, say) admit
    ``user``. A password restriction is per browser session: the page checked it before it minted the token."""
    for restriction in module.get_view_restrictions():
        if restriction.restriction_type == PageViewRestriction.GROUPS:
            if not user.is_superuser and not restriction.groups.filter(pk__in=user.groups.all()).exists():
                return False
        elif restriction.restriction_type == PageViewRestriction.LOGIN and not user.is_authenticated:
            return False
    return True


def check_content_token(token):
    """The ``(module, package, site origin, user)`` a valid token grants; raises ``ContentAccessDenied``.

    A player fetches dozens to hundreds of files at once, so a granted access is remembered for a minute.
    """
    cache_key = f"courses:h5p-content:{salted_hmac(SALT, token).hexdigest()}"
    if (granted := cache.get(cache_key)) is not None:
        return granted
    try:
        user_id, module_id, package_id, stamp, origin, kind = _WindowSigner(salt=SALT).unsign_object(
            token, max_age=token_lifetime()
        )
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise ContentAccessDenied from error
    if kind not in PACKAGE_KINDS:
        raise ContentAccessDenied
    from ..models import ModulePage

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    module = ModulePage.objects.live().filter(pk=module_id).first()
    if user is None or module is None or _password_stamp(user) != stamp:
        raise ContentAccessDenied
    module = module.specific
    if package_id not in getattr(module, PACKAGE_KINDS[kind]) or not module.is_visible_to(user):
        raise ContentAccessDenied
    if not restrictions_admit(user, module):
        raise ContentAccessDenied
    package = apps.get_model("courses", kind).objects.filter(pk=package_id).first()
    if package is None:
        raise ContentAccessDenied
    granted = (module, package, origin, user)
    cache.set(cache_key, granted, ACCESS_CACHE_SECONDS)
    return granted
