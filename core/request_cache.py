"""The cache entries nearly every page reads, read in one round trip when the request starts.

Each cache read is a round trip to Redis, and a signed-in page read half a dozen small entries one after the other
(whether the reader holds privileges, the policy in force, the site's and the admin access's generations, their
admin access, their unread count). The apps name the keys a request will read (``prefetch``); the middleware reads
them all at once for a GET or HEAD request; the readers ask ``get`` instead of the cache, which answers from that
read and asks the cache for any other key (and for a key the first read did not find, which its reader then
computes and stores).

A change made while the request runs forgets its keys here (``forget``, called by whatever deletes or replaces
them), so a request never reads back a value it has just retired. Nothing here outlives the request: the values
are held in a context variable the middleware sets and resets.
"""

from contextvars import ContextVar

from django.core.cache import cache

_key_functions = []
_read: ContextVar[dict | None] = ContextVar("prefetched_cache_entries", default=None)


def prefetch(function):
    """Register ``function(request) -> keys``: cache keys a request will read (``request.user`` is known)."""
    _key_functions.append(function)
    return function


def get(key, default=None):
    """``cache.get(key, default)``, answered from the request's first read when it read ``key``."""
    read = _read.get()
    if read is not None and key in read:
        return read[key]
    return cache.get(key, default)


def get_many(keys):
    """``cache.get_many(keys)``, the keys the request read at its start answered from that read."""
    read = _read.get() or {}
    found = {key: read[key] for key in keys if key in read}
    rest = [key for key in keys if key not in read]
    if rest:
        found.update(cache.get_many(rest))
    return found


def add(found):
    """Entries the request read together with others (``found``, as ``cache.get_many`` returns them): answered
    like the first read's from now on."""
    read = _read.get()
    if read is not None:
        read.update(found)


def forget(*keys):
    """The cache entries under ``keys`` change: read them from the cache again for the rest of the request."""
    read = _read.get()
    if read is not None:
        for key in keys:
            read.pop(key, None)


class CachePrefetchMiddleware:
    """Reads the registered keys in one round trip; after authentication (the keys may name the reader)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        keys = [key for function in _key_functions for key in function(request)]
        found = cache.get_many(keys) if keys else {}
        token = _read.set(found)
        try:
            return self.get_response(request)
        finally:
            _read.reset(token)
