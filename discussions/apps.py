from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = _("Discussions")

    def ready(self):
        # The part imports the models, which can be imported only once the app registry is ready.
        from privacy.registry import register

        from .personal_data import PART

        register(PART)
