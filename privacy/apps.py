from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        # Receivers import the models, which can be imported only once the app registry is ready.
        from . import parts, receivers  # noqa: F401
