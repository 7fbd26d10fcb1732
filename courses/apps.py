from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        # These import models, which can be imported only once the app registry is ready.
        from . import discussions, learner_cache, site_cache

        learner_cache.connect()
        site_cache.connect()
        discussions.register()

        # Each app hands over and erases its own part of a person's data (privacy.registry).
        from privacy.registry import register

        from .personal_data import PART

        register(PART)
