from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = _("Site search")

    def ready(self):
        # Connecting the receivers that keep the index current; importing them at load time would be a cycle.
        from . import receivers  # noqa: F401
