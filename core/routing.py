"""Page requests routed from the cache: Wagtail walks the tree with two queries per URL segment on every request.

The route of a URL (which page a site serves at a path, in a language) changes only when a page is published,
unpublished, moved, saved or deleted, or a site or locale changes: each starts a new site cache generation
(``core.menu``), whose number is in the key. A cached route costs one query, the page itself.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import HttpResponseBase
from django.utils.translation import get_language
from wagtail.models import Page, PageViewRestriction, Site

from . import request_cache
from .menu import MENU_CACHE_SECONDS, menu_generation
from .page_cache import anonymous_page_key, cached_page

_read_with_site = []


def _site_key(request):
    return f"site-for-host:{menu_generation(request)}:{host_digest(request)}"


def host_digest(request):
    return _digest(request.get_host())


def read_with_site(function):
    """Register ``function(request) -> keys``: what every page shows of its site (its settings, its menu), read in
    the same round trip as the site itself. The keys name the site cache generation and the host (``host_digest``),
    which names the site within a generation, not the site itself, which that read is to find."""
    _read_with_site.append(function)
    return function


def _read_site_entries(request, *keys):
    """The site's entry, ``keys`` and the registered entries shown with the site, in one round trip; those read
    with the site are kept for the request (``core.request_cache``)."""
    with_site = [key for function in _read_with_site for key in function(request)]
    found = cache.get_many([_site_key(request), *keys, *with_site])
    request_cache.add({key: found[key] for key in with_site if key in found})
    return found


def cached_site(request):
    """The site serving ``request``, as Wagtail finds it, kept per host and port; once found, also what Wagtail's
    ``Site.find_for_request`` answers for the rest of the request (the chrome of a view that is not a page)."""
    if getattr(request, "_wagtail_site", None) is not None:
        return request._wagtail_site
    key = _site_key(request)
    site = _read_site_entries(request).get(key)
    if site is None:
        site = Site.find_for_request(request)
        if site is None:
            return None
        cache.set(key, site, MENU_CACHE_SECONDS)
    request._wagtail_site = site
    return site


def cached_route(request, path, kept_copies=False):
    """Wagtail's route for ``path`` (a RouteResult or None), read from the cache when a page was found before.

    The site, the route and the page's view restrictions are read in one cache round trip: the route is kept per
    host (which names the site within a generation) with the ids of the page's view restrictions.

    With ``kept_copies``, a page with no view restriction whose model answers ``kept_copy(request, page_id)`` (a
    copy kept whole for the reader, or None) is answered from that copy, without the page being read: the response
    is returned instead of a route. A copy is kept only of what the page's own ``serve`` answered, under a key that
    changes with the site cache generation, so a page moved, unpublished or restricted since is never answered."""
    generation = menu_generation(request)
    key = f"page-route:{generation}:{_digest(request.get_host())}:{get_language()}:{_digest(path)}"
    site_key = _site_key(request)
    found = _read_site_entries(request, key)
    if site_key in found:
        request._wagtail_site = found[site_key]
    site = cached_site(request)
    if site is None:
        return None
    entry = found.get(key)
    if entry is not None:
        content_type_id, page_id, restriction_ids = entry
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if kept_copies and restriction_ids == [] and hasattr(model, "kept_copy"):
            response = model.kept_copy(request, page_id)
            if response is not None:
                return response
        page = model.objects.filter(pk=page_id, live=True).first() if model else None
        if page is not None:
            # Read once for this request already: the page's view restrictions need no second read.
            page._site_cache_generation = generation
            page._view_restriction_ids = restriction_ids
            # The path ends at the page itself: a routable page answers its own "" route (no query), any other
            # page itself, as Wagtail's routing would.
            return page.route(request, [])
    result = Page.route_for_request(request, path)
    if result is not None and _ends_at_page(request, result):
        page = result.page
        restriction_ids = page.view_restriction_ids() if isinstance(page, CachedViewRestrictionsMixin) else None
        cache.set(key, (page.content_type_id, page.pk, restriction_ids), MENU_CACHE_SECONDS)
    return result


def _ends_at_page(request, result):
    """Whether Wagtail's route is the page itself: a plain page found by Wagtail's own routing, or a routable page's
    own "" route (its other routes take arguments from the rest of the path)."""
    from wagtail.contrib.routable_page.models import RoutablePageMixin

    if isinstance(result.page, RoutablePageMixin):
        return getattr(getattr(request, "routable_resolver_match", None), "route", None) == ""
    return not result.args and not result.kwargs and type(result.page).route is Page.route


class CachedViewRestrictionsMixin:
    """A page whose view restrictions (its own and its ancestors') are looked up once per site cache generation.

    Wagtail checks them on every request, with a query for the ancestors and one for the restrictions (more for an
    alias); saving or deleting a restriction, or moving a page, starts a new generation.
    """

    def view_restriction_ids(self):
        """The ids of the page's view restrictions: given by the route when it came from the cache
        (``cached_route``), else read once per generation."""
        if getattr(self, "_view_restriction_ids", None) is not None:
            return self._view_restriction_ids
        generation = getattr(self, "_site_cache_generation", None) or menu_generation()
        key = f"view-restrictions:{generation}:{self.pk}"
        restriction_ids = cache.get(key)
        if restriction_ids is None:
            restriction_ids = list(super().get_view_restrictions().values_list("pk", flat=True))
            cache.set(key, restriction_ids, MENU_CACHE_SECONDS)
        self._view_restriction_ids = restriction_ids
        return restriction_ids

    def get_view_restrictions(self):
        # No query at all when there is none, which is almost always.
        return PageViewRestriction.objects.filter(pk__in=self.view_restriction_ids())


def _digest(text):
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class CachedPageRoutingMiddleware:
    """Gives Wagtail's page view its route from the cache (``cached_route``); every other view is left alone."""

    def __init__(self, get_response):
        # Imported here: core.routing is imported while the page models load, before Wagtail's views can be.
        from wagtail.views import serve

        self.get_response = get_response
        self.serve = serve

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is self.serve and request.method in ("GET", "HEAD"):
            # A page kept whole for anonymous readers (core.page_cache) is answered before any routing; a change
            # to any page, view restriction or site retires it, so Wagtail's serve hooks would change nothing.
            response = cached_page(anonymous_page_key(request))
            if response is not None:
                return response
            path = view_kwargs.get("path", view_args[0] if view_args else "")
            route = cached_route(request, path, kept_copies=True)
            if isinstance(route, HttpResponseBase):
                return route  # the reader's own copy of the page (``kept_copy``)
            request._wagtail_route_for_request = route
        return None
