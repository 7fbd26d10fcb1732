from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        # These import models, which can be imported only once the app registry is ready.
        # Each app hands over and erases its own part of a person's data (privacy.registry).
        from privacy.registry import register

        from . import learner_cache_receivers, receivers  # noqa: F401
        from .documents import checks  # noqa: F401  (registers the signing key's system checks)
        from .personal_data import PART

        register(PART)
