"""The chrome's cache entries read in one round trip: each reader answered from that read, never a value the
request itself has just changed, and nothing kept beyond the request."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.consent import CACHE_KEY as POLICY_IN_FORCE_KEY
from accounts.consent import forget_version_in_force, version_in_force
from accounts.two_factor import holds_privileges, privilege_key, roles_changed
from core import request_cache
from core.menu import GENERATION_KEY, admin_access_keys, menu_generation, start_new_menu_generation
from notifications.bell import forget_unread_count, unread_count
from notifications.models import Notification
from tests.accounts.factories import UserFactory


def _serve(user, view, method="get"):
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    return request_cache.CachePrefetchMiddleware(view)(request)


@pytest.mark.django_db
def test_the_chrome_keys_are_read_at_once_and_answered_from_that_read(monkeypatch):
    user = UserFactory()
    menu_generation(), unread_count(user), version_in_force(), holds_privileges(user)  # all in the cache now
    seen = {}

    def view(request):
        monkeypatch.setattr(cache, "get", lambda *args, **kwargs: pytest.fail(f"read {args[0]} again"))
        seen["values"] = (menu_generation(), unread_count(user), version_in_force(), holds_privileges(user))
        monkeypatch.undo()
        return HttpResponse()

    read = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: read.append(list(keys)) or get_many(keys))
    _serve(user, view)
    assert len(read) == 1
    expected = {GENERATION_KEY, *admin_access_keys(user), POLICY_IN_FORCE_KEY, privilege_key(user.pk)}
    assert expected <= set(read[0])
    assert seen["values"][1] == 0 and seen["values"][3] is False


@pytest.mark.django_db
def test_a_change_made_by_the_request_is_read_back(django_capture_on_commit_callbacks):
    user = UserFactory()
    generation, _count = menu_generation(), unread_count(user)
    seen = {}

    def view(request):
        Notification.objects.create(recipient=user, kind="info", event="resource_accepted", in_app=True)
        forget_unread_count(user.pk)
        start_new_menu_generation()
        roles_changed([user.pk])
        forget_version_in_force()
        seen["values"] = (unread_count(user), menu_generation())
        return HttpResponse()

    with django_capture_on_commit_callbacks(execute=True):
        _serve(user, view)
    assert seen["values"][0] == 1 and seen["values"][1] != generation


@pytest.mark.django_db
def test_nothing_is_kept_beyond_the_request_or_read_for_a_post():
    user = UserFactory()
    unread_count(user)

    def view(request):
        assert request_cache._read.get() is None  # a POST reads the cache as it goes
        return HttpResponse()

    _serve(user, view, method="post")
    _serve(user, lambda request: HttpResponse())
    assert request_cache._read.get() is None
    cache.set(f"notifications:unread:{user.pk}", 7)
    assert unread_count(user) == 7
