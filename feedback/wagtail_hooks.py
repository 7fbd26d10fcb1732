from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Questionnaire, Survey


class QuestionnaireViewSet(SnippetViewSet):
    model = Questionnaire
    icon = "form"
    menu_label = _("Questionnaires")
    list_display = ["title_zh", "title_en"]
    search_fields = ["title_zh", "title_en"]


class SurveyViewSet(SnippetViewSet):
    model = Survey
    icon = "list-ul"
    menu_label = _("Feedback surveys")
    list_display = ["questionnaire", "session", "course", "created_at"]


class FeedbackViewSetGroup(SnippetViewSetGroup):
    items = (QuestionnaireViewSet, SurveyViewSet)
    menu_icon = "form"
    menu_label = _("Feedback")
    menu_order = 320


register_snippet(FeedbackViewSetGroup)
