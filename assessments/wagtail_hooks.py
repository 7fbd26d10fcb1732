from django.contrib import messages
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .grading import regrade_question
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


@hooks.register("register_admin_urls")
def register_question_interchange_urls():
    return [
        path("question-bank/import/", admin_views.import_questions, name="assessments_import"),
        path(
            "question-bank/categories/<int:category_id>/export/",
            admin_views.export_category,
            name="assessments_export",
        ),
        path("question-bank/grading/", admin_views.grading_queue, name="assessments_grading"),
        path("question-bank/grading/<int:slot_id>/", admin_views.grade_slot, name="assessments_grade"),
        path("question-bank/quizzes/<int:quiz_id>/report/", admin_views.quiz_report, name="assessments_report"),
        path(
            "question-bank/quizzes/<int:quiz_id>/attempts.<str:file_format>",
            admin_views.export_attempts,
            name="assessments_attempts_export",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("assessments.add_question")


class GradingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("assessments.change_attempt")


@hooks.register("register_admin_menu_item")
def register_grading_menu_item():
    return GradingMenuItem(_("Essays to grade"), reverse("assessments_grading"), icon_name="edit", order=251)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("Import questions"), reverse("assessments_import"), icon_name="upload", order=250)


@hooks.register("register_snippet_listing_buttons")
def export_category_button(snippet, user, next_url=None):
    if isinstance(snippet, QuestionCategory) and user.has_perm("assessments.view_question"):
        yield ListingButton(
            _("Export (Moodle XML)"), reverse("assessments_export", args=[snippet.pk]), icon_name="download"
        )
    if isinstance(snippet, Quiz) and user.has_perm("assessments.change_attempt"):
        yield ListingButton(_("Item statistics"), reverse("assessments_report", args=[snippet.pk]), icon_name="table")
        for file_format in ("csv", "xlsx"):
            yield ListingButton(
                _("Attempts (%(format)s)") % {"format": file_format.upper()},
                reverse("assessments_attempts_export", args=[snippet.pk, file_format]),
                icon_name="download",
            )


@hooks.register("after_edit_snippet")
def regrade_after_correction(request, instance):
    """A corrected question is scored again in every finished attempt that asked it."""
    if isinstance(instance, Question):
        regraded, lost = regrade_question(instance, by=request.user)
        if regraded:
            messages.info(
                request,
                _("%(count)s attempts were regraded; %(lost)s learners no longer pass and were told.")
                % {"count": regraded, "lost": len(lost)},
            )
