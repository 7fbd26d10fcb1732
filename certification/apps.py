from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        # These import models, which can be imported only once the app registry is ready.
        from . import learner_cache_receivers, receivers  # noqa: F401
