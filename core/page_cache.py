"""Whole pages kept in the cache for anonymous readers: the public pages that every visitor sees alike.

Only a GET without a query string from a reader who is not signed in, has no messages waiting and sends no session
is answered from the cache, and only an answer that is the same for everyone is stored: status 200, no cookie set,
no CSRF token used, no CSP nonce in it, no page-specific CSP change. The key carries the site cache generation
(``core.menu``), so publishing, moving or deleting a page, or saving the settings, a site or a trainer's name,
retires every stored page at once.
"""

import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from .menu import MENU_CACHE_SECONDS, menu_generation


def page_cache_key(request, name):
    """The key of the anonymous copy of the page ``name`` (any text naming what the page shows), or None.

    None when the request must be answered afresh (see the module's docstring).
    """
    if request.method not in ("GET", "HEAD") or request.GET or getattr(request, "is_preview", False):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or request.user.is_authenticated:
        return None
    if len(get_messages(request)):
        return None
    digest = hashlib.blake2b(f"{request.get_host()}|{name}".encode(), digest_size=16).hexdigest()
    return f"anonymous-page:{menu_generation(request)}:{get_language()}:{digest}"


def anonymous_page_key(request):
    """The key of a Wagtail page kept whole for anonymous readers: its URL (the language prefix included)."""
    return page_cache_key(request, f"page:{request.path}")


def cached_page(key):
    """The stored answer under ``key`` as a fresh response, or None."""
    stored = cache.get(key) if key else None
    if stored is None:
        return None
    content, content_type = stored
    response = HttpResponse(content, content_type=content_type)
    # The same URL answers a signed-in reader differently.
    patch_vary_headers(response, ["Cookie"])
    return response


def store_page(key, request, response, timeout=MENU_CACHE_SECONDS):
    """Keep ``response`` under ``key`` if it is the same for every anonymous reader; returns whether it was kept."""
    if key is None or response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(request, "_csp_nonce", None):
        return False
    if hasattr(response, "_csp_update") or hasattr(response, "_csp_replace"):
        return False
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if b"nonce=" in response.content or b"csrfmiddlewaretoken" in response.content:
        return False
    cache.set(key, (response.content, response["Content-Type"]), timeout)
    patch_vary_headers(response, ["Cookie"])
    return True
