from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from courses.blocks import register_module_block

        from . import page_cache
        from .blocks import QuizBlock

        page_cache.connect()

        # Modules show quizzes through the courses app's block registry: courses never imports assessments.
        register_module_block("quiz", QuizBlock())

        # Each app hands over and erases its own part of a person's data (privacy.registry).
        from privacy.registry import register

        from .personal_data import PART

        register(PART)
