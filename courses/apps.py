from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        # These import models, which can be imported only once the app registry is ready.
        from . import learner_cache, site_cache

        learner_cache.connect()
        site_cache.connect()
