from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor: site plumbing every app builds on (cache generations, page cache, routing, shared blocks,
    the site chrome's template tags). It imports no other app of ours."""

    name = "core"
    verbose_name = _("Site plumbing")

    def ready(self):
        # These import models, which can be imported only once the app registry is ready.
        from .menu import connect_menu_signals

        connect_menu_signals()
