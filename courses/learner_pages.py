"""Whole pages kept per learner: a signed-in learner's module, course and dashboard pages, and a community or the
expert directory as they see it, rendered once and answered from the cache until anything they show changes.

A page is kept under a key that holds the learner's id, their token and the site's (``courses.learner_cache``),
the site chrome's generation (``core.menu``), the tokens the page itself names (a community's members, the
directory), the host, the path and query string, the language and the date. So it is only ever answered to the
learner it was rendered for, and any change it could show (their progress, enrolments, attendance, certificates,
saved H5P state or account; a page published, moved or deleted; the settings) makes it unreachable at once.

What differs between two requests of the same learner is handled apart: the CSRF token (each browser has its own
secret) is cut out when the page is stored and a fresh one for the requesting browser put back; a page is not kept
when messages are waiting, when it was rendered with a CSP nonce or set a cookie, for a reader who may use the
admin (Wagtail's user bar), or when it answered anything but 200. The page's own CSP additions (the H5P player's)
are kept with it.
"""

import hashlib
import re

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from core.generations import current_tokens
from core.menu import GENERATION_KEY, admin_access_keys, has_admin_access

from .learner_cache import FRAGMENT_SECONDS, SITE_TOKEN, TOKEN_SECONDS, learner_token_key

CSRF_PLACEHOLDER = b"\x00csrf-token\x00"
# A masked CSRF token: 64 letters and digits (django.middleware.csrf.CSRF_TOKEN_LENGTH).
CSRF_TOKEN_SHAPE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def learner_page_key(request, name, tokens=()):
    """The key of ``request.user``'s copy of the page ``name`` (any text naming what is shown), or None when the
    page must be rendered afresh. ``tokens``: cache keys of further generation tokens the page depends on."""
    user = request.user
    if request.method not in ("GET", "HEAD") or getattr(request, "is_preview", False):
        return None
    if not user.is_authenticated or not user.is_active or len(get_messages(request)):
        return None
    keys = [learner_token_key(user.pk), SITE_TOKEN, GENERATION_KEY, *tokens]
    # The tokens and the reader's admin access in one round trip.
    read = cache.get_many([*keys, *admin_access_keys(user)])
    if has_admin_access(user, read):
        return None
    found = current_tokens(keys, TOKEN_SECONDS, found=read)
    # The chrome reads the site generation once per request: this read serves it too.
    request._site_cache_generation = found[GENERATION_KEY]
    stamp = ".".join(found[key] for key in keys)
    where = f"{request.get_host()}|{name}|{request.get_full_path()}"
    digest = hashlib.blake2b(where.encode(), digest_size=16).hexdigest()
    return f"learner-page:{user.pk}:{stamp}:{get_language()}:{timezone.localdate().isoformat()}:{digest}"


def cached_learner_page(request, key):
    """The stored page under ``key`` as a fresh response carrying this browser's CSRF token, or None."""
    stored = cache.get(key) if key else None
    if stored is None:
        return None
    content, content_type, csp_update = stored
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, content_type=content_type)
    if csp_update is not None:
        response._csp_update = csp_update
    patch_vary_headers(response, ["Cookie"])
    return response


def store_learner_page(request, key, response, timeout=FRAGMENT_SECONDS):
    """Keep ``response`` under ``key`` when it may be answered again to this learner; returns whether it was kept."""
    if key is None or response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "_csp_nonce", None) or hasattr(response, "_csp_replace"):
        return False
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    content = response.content
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        content = CSRF_TOKEN_SHAPE.sub(
            lambda match: CSRF_PLACEHOLDER if _unmask_cipher_token(match[0].decode()) == secret else match[0], content
        )
    cache.set(key, (content, response["Content-Type"], getattr(response, "_csp_update", None)), timeout)
    patch_vary_headers(response, ["Cookie"])
    return True


def serve_learner_page(request, key, render, timeout=FRAGMENT_SECONDS):
    """The learner's stored page under ``key``, else ``render()``'s response, stored for next time."""
    response = cached_learner_page(request, key)
    if response is None:
        response = render()
        store_learner_page(request, key, response, timeout)
    return response
