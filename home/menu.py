"""The site menu's cache generation: any change to the page tree that a menu can show starts a new one."""

from django.core.cache import cache
from wagtail.signals import page_published, page_unpublished, post_page_move

MENU_CACHE_SECONDS = 60 * 15
GENERATION_KEY = "main-menu:generation"


def menu_generation():
    return cache.get_or_set(GENERATION_KEY, 1, None)


def start_new_menu_generation(**kwargs):
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def connect_menu_signals():
    from django.db.models.signals import post_delete
    from wagtail.models import Page

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(start_new_menu_generation, dispatch_uid=f"menu-{signal!r}")
    post_delete.connect(start_new_menu_generation, sender=Page, dispatch_uid="menu-page-deleted")
