from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar
from wagtail.models import Locale, Page

from .. import request_cache
from ..menu import MENU_CACHE_SECONDS, has_admin_access, menu_generation
from ..routing import cached_site, host_digest

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links to the current page in every language, so switching language keeps the reader where they are.

    A Wagtail page links to its translation, or to the nearest ancestor that has one; any other view links to
    the same URL with the other language prefix (query string included).
    """
    request = context["request"]
    page = context.get("page")
    current = get_language()
    page_urls = {}
    if isinstance(page, Page) and page.pk:
        # A page's translations change only when a page is published, unpublished, moved, saved or deleted, each
        # of which starts a new generation; the host is in the key because a page's URL depends on its site.
        key = f"language-links:{menu_generation(request)}:{request.get_host()}:{page.pk}:{current}"
        page_urls = cache.get(key)
        if page_urls is None:
            page_urls = {code: _translated_page_url(page, code, request) for code, _name in settings.LANGUAGES}
            cache.set(key, page_urls, MENU_CACHE_SECONDS)
    links = []
    for code, name in settings.LANGUAGES:
        url = page_urls.get(code) or translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "is_current": code == current})
    return links


def _translated_page_url(page, language_code, request):
    if language_code == get_language() and page.live:
        return page.get_url(request)
    try:
        locale = Locale.objects.get_for_language(language_code)
    except Locale.DoesNotExist:
        return None
    for candidate in [page, *reversed(page.get_ancestors().filter(depth__gt=1))]:
        translation = candidate.get_translation_or_none(locale)
        if translation is not None and translation.live:
            return translation.get_url(request)
    return None


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The home page of the reader's language and its children shown in menus, as {"home_url", "items"}.

    Every page draws the menu, so it is cached per site and language; publishing, unpublishing, moving or
    deleting a page starts a new menu generation (``core.menu``).
    """
    request = context["request"]
    site = cached_site(request)
    if site is None:
        return {"home_url": "/", "items": []}
    key = main_menu_key(request)[0]
    menu = request_cache.get(key)
    if menu is None:
        menu = _build_menu(site, request)
        cache.set(key, menu, MENU_CACHE_SECONDS)
    return menu


def main_menu_key(request):
    """The menu's key: per generation, host (which names the site within a generation) and language; read with the
    site (``core.routing.read_with_site``)."""
    return [f"main-menu:{menu_generation(request)}:{host_digest(request)}:{get_language()}"]


def _build_menu(site, request):
    root = site.root_page
    try:
        home = root.get_translation(Locale.get_active())
    except (Locale.DoesNotExist, Page.DoesNotExist):
        home = root
    items = [
        {"title": child.title, "url": child.get_url(request), "url_path": child.url_path}
        for child in home.get_children().live().in_menu()
    ]
    return {"home_url": home.get_url(request) or "/", "items": items}


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context, page):
    """The titles and URLs of ``page``'s ancestors below the tree's root, cached per page like the menu."""
    request = context["request"]
    # A new page in preview has no id yet: its trail is not cached.
    key = f"breadcrumbs:{menu_generation(request)}:{request.get_host()}:{page.pk}" if page.pk else None
    trail = cache.get(key) if key else None
    if trail is None:
        trail = [
            {"title": ancestor.title, "url": ancestor.get_url(request)}
            for ancestor in page.get_ancestors().filter(depth__gt=1)
        ]
        if key:
            cache.set(key, trail, MENU_CACHE_SECONDS)
    return trail


@register.simple_tag(takes_context=True)
def site_userbar(context):
    """Wagtail's user bar, asked for only when the reader may use the admin (known from the cache)."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated or not has_admin_access(user):
        return ""
    return wagtailuserbar(context)
