"""Cache generations: a token in the key of every cached entry, replaced by any change the entry could show.

Replacing the token makes every older entry unreachable at once (they expire by themselves). Tokens are random, not
counters, so a token evicted from the cache (production Redis evicts least-recently-used keys) can never bring back
entries computed under an older one. A change replaces the token at once and again when its transaction commits: a
request reading between the change and the commit sees the old rows and may cache them under the first new token,
which the second replacement retires.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

from . import request_cache


def current_token(key, timeout=None):
    """The token under ``key``, created when missing; None when the cache keeps nothing (so nothing is reused)."""
    token = request_cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, timeout)
        token = cache.get(key)
    return token


def current_tokens(keys, timeout=None, found=None) -> dict:
    """``{key: token}`` for ``keys`` in one cache round trip, creating the missing ones; ``found``: what a read of
    more keys than these already returned (then no read at all)."""
    found = cache.get_many(keys) if found is None else {key: found[key] for key in keys if key in found}
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout)
        found.update(missing)
    return found


def replace_token(key, timeout=None, using=None):
    """Retire every entry cached under ``key``'s token, now and when the current transaction commits."""

    def replace():
        cache.set(key, uuid.uuid4().hex, timeout)
        request_cache.forget(key)

    replace()
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(replace, using=using)  # outside a transaction, on_commit would replace it again now
