from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor: site plumbing every app builds on (cache generations, page cache, routing, shared blocks,
    the site chrome's template tags). It imports no other app of ours."""

    name = "core"
    verbose_name = _("Site plumbing")

    def ready(self):
        # These import models, which can be imported only once the app registry is ready.
        from . import request_cache
        from .menu import chrome_keys, connect_menu_signals
        from .routing import read_with_site
        from .templatetags.navigation import main_menu_key

        connect_menu_signals()
        request_cache.prefetch(chrome_keys)
        read_with_site(main_menu_key)
