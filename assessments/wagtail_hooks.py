from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Question, QuestionCategory, Quiz


class QuestionViewSet(SnippetViewSet):
    """The question bank: each save is a revision, so the history shows who changed what and when."""

    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["name", "question_type", "category", "author", "updated_at"]
    list_filter = ["question_type", "category", "is_archived"]
    search_fields = ["name", "text_zh", "text_en"]


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    list_display = ["__str__", "scope", "course", "programme_slug"]
    list_filter = ["scope"]


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("Quizzes and exams")
    list_display = ["__str__", "kind", "time_limit_minutes", "max_attempts", "grading_method", "pass_mark"]
    list_filter = ["kind"]


class QuestionBankGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuestionCategoryViewSet, QuizViewSet)
    menu_icon = "help"
    menu_label = _("Question bank")
    menu_name = "question-bank"


register_snippet(QuestionBankGroup)


@hooks.register("after_create_snippet")
def record_question_author(request, instance):
    if isinstance(instance, Question) and instance.author_id is None:
        Question.objects.filter(pk=instance.pk).update(author=request.user)
