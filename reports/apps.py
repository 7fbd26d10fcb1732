from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Receivers import the models, which can be imported only once the app registry is ready.
        from . import receivers  # noqa: F401
