from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from courses.blocks import register_module_block

        from .blocks import QuizBlock

        # Modules show quizzes through the courses app's block registry: courses never imports assessments.
        register_module_block("quiz", QuizBlock())
