from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback questionnaires")

    def ready(self):
        from . import requests

        requests.connect()

        # Each app hands over and erases its own part of a person's data (privacy.registry).
        from privacy.registry import register

        from .personal_data import PART

        register(PART)
