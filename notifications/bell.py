"""The unread count in the site header, kept in the cache per person so a page view does not ask the database.

The key carries the person's id and nothing else identifies the entry, so one person's count can never be shown to
another. Any change to a person's notifications forgets their entry, at once and again when the transaction commits
(a page rendered between the change and the commit would otherwise cache the old count for a day).
"""

from django.core.cache import cache
from django.db import transaction

from core import request_cache

from .models import Notification

UNREAD_CACHE_SECONDS = 24 * 60 * 60


def _key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def bell_keys(request):
    """What the bell reads from the cache, read with the rest of the chrome's (``core.request_cache``)."""
    user = getattr(request, "user", None)
    return [_key(user.pk)] if user is not None and user.is_authenticated else []


def unread_count(user) -> int:
    count = request_cache.get(_key(user.pk))
    if count is None:
        count = Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True).count()
        cache.set(_key(user.pk), count, UNREAD_CACHE_SECONDS)
    return count


def forget_unread_count(user_id: int) -> None:
    cache.delete(_key(user_id))
    request_cache.forget(_key(user_id))
    transaction.on_commit(lambda: cache.delete(_key(user_id)))


class Bell:
    """What the header shows; the count is read only when a template asks for it."""

    def __init__(self, user):
        self._user = user
        self._unread = None

    @property
    def unread(self) -> int:
        if self._unread is None:
            self._unread = unread_count(self._user)
        return self._unread
