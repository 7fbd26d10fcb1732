"""The site's cache generation: any change a cached menu, language link, route or page can show starts a new one.

Publishing, unpublishing, moving, saving or deleting a page, saving a site, a locale, the organisation settings or a
page's view restrictions replaces one generation token (``core.generations``); every cached fragment of the site
chrome and every cached page carries the token in its key, so nothing stale is read after a change, and old entries
simply expire.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import request_cache
from .generations import current_token, replace_token

MENU_CACHE_SECONDS = 60 * 15
GENERATION_KEY = "main-menu:generation"


def menu_generation(request=None):
    """The current generation; with ``request``, read once for that request (each read is a cache round trip)."""
    generation = getattr(request, "_site_cache_generation", None)
    if generation is None:
        generation = current_token(GENERATION_KEY)
        if request is not None:
            request._site_cache_generation = generation
    return generation


def start_new_menu_generation(using=None, **kwargs):
    replace_token(GENERATION_KEY, using=using)


ADMIN_ACCESS_GENERATION_KEY = "admin-access:generation"


def admin_access_keys(user):
    """The cache keys ``has_admin_access`` reads, for a caller that reads them with others in one round trip."""
    return [ADMIN_ACCESS_GENERATION_KEY, f"may-use-admin:{user.pk}"]


def has_admin_access(user, found=None):
    """Whether ``user`` may open Wagtail's admin (and so sees its user bar), kept per user between requests.

    Asking costs two queries (the user's and their groups' permissions) on every page a signed-in reader opens;
    a change to any account's groups or permissions, any group's permissions, or an account itself (other than a
    sign-in) starts a new generation of the answers. ``found``: the values of ``admin_access_keys(user)`` as a
    caller already read them.
    """
    # The answer is kept with the generation it was given under, so one round trip reads both.
    keys = admin_access_keys(user)
    key = keys[1]
    found = request_cache.get_many(keys) if found is None else found
    generation = found.get(ADMIN_ACCESS_GENERATION_KEY) or current_token(ADMIN_ACCESS_GENERATION_KEY)
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        return stored[1]
    allowed = user.has_perm("wagtailadmin.access_admin")
    cache.set(key, (generation, allowed), MENU_CACHE_SECONDS)
    return allowed


def chrome_keys(request):
    """What every page's chrome reads from the cache (``core.request_cache``): the site's generation and, for a
    signed-in reader, their admin access."""
    user = getattr(request, "user", None)
    keys = [GENERATION_KEY]
    if user is not None and user.is_authenticated:
        keys += admin_access_keys(user)
    return keys


def start_new_admin_access_generation(sender=None, update_fields=None, using=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    replace_token(ADMIN_ACCESS_GENERATION_KEY, using=using)


def start_new_generation_on_page_save(sender, instance, **kwargs):
    """A page saved outside publishing (an alias made for a translation, a scripted edit) may be live already."""
    if isinstance(instance, Page):
        start_new_menu_generation()


def start_new_generation_on_settings_save(created=False, **kwargs):
    """The settings row Wagtail creates on a site's first request replaces nothing anyone has read."""
    if not created:
        start_new_menu_generation()


def connect_menu_signals():
    """Wagtail's own changes and account changes; the apps that own other things a page shows connect theirs."""
    User = get_user_model()
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(start_new_menu_generation, dispatch_uid=f"menu-{signal!r}")
    post_delete.connect(start_new_menu_generation, sender=Page, dispatch_uid="menu-page-deleted")
    post_save.connect(start_new_generation_on_page_save, dispatch_uid="menu-page-saved")
    for model in (Site, Locale, PageViewRestriction):
        post_delete.connect(start_new_menu_generation, sender=model, dispatch_uid=f"menu-{model.__name__}-deleted")
        post_save.connect(start_new_menu_generation, sender=model, dispatch_uid=f"menu-{model.__name__}-saved")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(start_new_admin_access_generation, sender=through, dispatch_uid=f"admin-access-{through}")
    for model in (User, Group, Permission):
        for signal in (post_save, post_delete):
            signal.connect(
                start_new_admin_access_generation, sender=model, dispatch_uid=f"admin-access-{model.__name__}-{signal}"
            )
