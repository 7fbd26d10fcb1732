"""Page requests routed from the cache: Wagtail walks the tree with two queries per URL segment on every request.

The route of a URL (which page a site serves at a path, in a language) changes only when a page is published,
unpublished, moved, saved or deleted, or a site or locale changes: each starts a new site cache generation
(``core.menu``), whose number is in the key. A cached route costs one query, the page itself.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils.translation import get_language
from wagtail.models import Page, PageViewRestriction, Site

from .menu import MENU_CACHE_SECONDS, menu_generation
from .page_cache import anonymous_page_key, cached_page


def cached_site(request):
    """The site serving ``request``, as Wagtail finds it, kept per host and port."""
    key = f"site-for-host:{menu_generation(request)}:{_digest(request.get_host())}"
    site = cache.get(key)
    if site is None:
        site = Site.find_for_request(request)
        if site is None:
            return None
        cache.set(key, site, MENU_CACHE_SECONDS)
    return site


def cached_route(request, path):
    """Wagtail's route for ``path`` (a RouteResult or None), read from the cache when a page was found before."""
    site = cached_site(request)
    if site is None:
        return None
    request._wagtail_site = site
    key = f"page-route:{menu_generation(request)}:{site.pk}:{get_language()}:{_digest(path)}"
    entry = cache.get(key)
    if entry is not None:
        content_type_id, page_id = entry
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model.objects.filter(pk=page_id, live=True).first() if model else None
        if page is not None:
            # Read once for this request already: the page's view restrictions need no second read.
            page._site_cache_generation = menu_generation(request)
            # The path ends at the page itself: a routable page answers its own "" route (no query), any other
            # page itself, as Wagtail's routing would.
            return page.route(request, [])
    result = Page.route_for_request(request, path)
    if result is not None and _ends_at_page(request, result):
        cache.set(key, (result.page.content_type_id, result.page.pk), MENU_CACHE_SECONDS)
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

    def get_view_restrictions(self):
        generation = getattr(self, "_site_cache_generation", None) or menu_generation()
        key = f"view-restrictions:{generation}:{self.pk}"
        restriction_ids = cache.get(key)
        if restriction_ids is None:
            restriction_ids = list(super().get_view_restrictions().values_list("pk", flat=True))
            cache.set(key, restriction_ids, MENU_CACHE_SECONDS)
        # No query at all when there is none, which is almost always.
        return PageViewRestriction.objects.filter(pk__in=restriction_ids)


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
            request._wagtail_route_for_request = cached_route(request, path)
        return None
