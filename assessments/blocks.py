from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class QuizBlock(blocks.StructBlock):
    """A quiz or exam of the question bank, taken on its own pages and scored by the server.

    The module page shows the learner's attempts, grade and a button to start or continue; the questions are never
    part of the module page.
    """

    quiz = SnippetChooserBlock("assessments.Quiz", label=_("Quiz"))

    class Meta:
        icon = "tasks"
        label = _("Quiz or exam")
        template = "assessments/blocks/quiz_block.html"

    def get_context(self, value, parent_context=None):
        from .overview import quiz_overview

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        page = (parent_context or {}).get("page")
        quiz = value.get("quiz")
        if request is not None and quiz is not None and getattr(page, "pk", None) and page.is_visible_to(request.user):
            context.update(quiz_overview(quiz, page, request.user))
        return context
