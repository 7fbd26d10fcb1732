"""Per-client limits on certificate lookups, kept in the cache (shared by every app server through Redis).

Two windows: every lookup counts towards a per-minute limit (a principal checking a pile of certificates stays
well inside it), and unknown codes count towards a much smaller per-hour limit, which is what an enumeration
attempt exhausts first. A client over either limit gets 429 until the window passes.
"""

import time

from django.conf import settings
from django.core.cache import cache

from core.network import client_address

DEFAULT_LOOKUPS_PER_MINUTE = 30
DEFAULT_UNKNOWN_PER_HOUR = 20


def _key(scope: str, address: str, window: int) -> str:
    return f"certification:throttle:{scope}:{address}:{int(time.time() // window)}"


def _count(scope: str, address: str, window: int) -> int:
    key = _key(scope, address, window)
    cache.add(key, 0, timeout=window + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        return 1


def _peek(scope: str, address: str, window: int) -> int:
    return cache.get(_key(scope, address, window), 0)


def lookup_limit() -> int:
    return int(getattr(settings, "VERIFY_LOOKUPS_PER_MINUTE", DEFAULT_LOOKUPS_PER_MINUTE))


def unknown_limit() -> int:
    return int(getattr(settings, "VERIFY_UNKNOWN_LOOKUPS_PER_HOUR", DEFAULT_UNKNOWN_PER_HOUR))


def allow_lookup(request) -> bool:
    """Count one lookup by this client; False when it is over a limit and must be refused."""
    address = client_address(request)
    if _peek("unknown", address, 3600) >= unknown_limit():
        return False
    return _count("lookup", address, 60) <= lookup_limit()


def record_unknown(request) -> None:
    """Count a lookup that matched nothing against this client's hourly allowance."""
    _count("unknown", client_address(request), 3600)
