"""The trainers' admin pages: import and export of questions, the essay grading queue, item statistics, and
exports of attempts."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Action
from audit.recording import record

from .exports import attempts_csv, attempts_xlsx
from .gift import read_gift
from .grading import attempts_in_reach, essays_to_grade, grade_essay
from .interchange import MAX_FILE_BYTES, save_import
from .models import Question, QuestionCategory, Quiz
from .moodle_xml import read_moodle_xml, write_moodle_xml
from .statistics import facility_chart, quiz_statistics

READERS = {"moodle_xml": read_moodle_xml, "gift": read_gift}


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Question file"))
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[("moodle_xml", "Moodle XML"), ("gift", "GIFT")]
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Import into"),
        queryset=QuestionCategory.objects.all(),
        required=False,
        help_text=gettext_lazy("The file's categories are created inside this one; leave empty for the top level."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES >> 20})
        return upload


def import_questions(request):
    if not request.user.has_perm("assessments.add_question"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        reader = READERS[form.cleaned_data["file_format"]]
        report = save_import(
            reader(form.cleaned_data["file"].read()), under=form.cleaned_data["category"], author=request.user
        )
        if report.ok:
            messages.success(request, _("%(count)s questions imported.") % {"count": len(report.saved)})
        else:
            messages.error(request, _("Nothing was imported: correct the file and try again."))
    return TemplateResponse(
        request,
        "assessments/admin/import.html",
        {"form": form, "report": report, "title": _("Import questions")},
    )


def export_category(request, category_id):
    if not request.user.has_perm("assessments.view_question"):
        raise PermissionDenied
    category = get_object_or_404(QuestionCategory, pk=category_id)
    questions = Question.objects.filter(category_id__in=category.descendant_ids()).select_related("category")
    if not questions.exists():
        messages.error(request, _("This category holds no question."))
        return redirect("wagtailsnippets_assessments_questioncategory:list")
    response = HttpResponse(
        write_moodle_xml(questions.prefetch_related("options")), content_type="application/xml; charset=utf-8"
    )
    name = slugify(category.name_en) or f"category-{category.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.moodle.xml"'
    return response


class EssayGradeForm(forms.Form):
    mark = forms.DecimalField(label=gettext_lazy("Mark"), min_value=0, decimal_places=2)
    comment = forms.CharField(
        label=gettext_lazy("Comment to the learner"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


def _require_grader(request):
    if not request.user.has_perm("assessments.change_attempt"):
        raise PermissionDenied


def grading_queue(request):
    _require_grader(request)
    return TemplateResponse(
        request,
        "assessments/admin/grading_queue.html",
        {"slots": essays_to_grade(attempts_in_reach(request.user))[:200], "title": _("Essays to grade")},
    )


def grade_slot(request, slot_id):
    _require_grader(request)
    slot = get_object_or_404(essays_to_grade(attempts_in_reach(request.user)), pk=slot_id)
    form = EssayGradeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grade_essay(slot, form.cleaned_data["mark"], form.cleaned_data["comment"], request.user)
        except ValidationError as error:
            form.add_error("mark", error)
        else:
            messages.success(request, _("The essay is graded."))
            return redirect("assessments_grading")
    return TemplateResponse(
        request,
        "assessments/admin/grade_essay.html",
        {"slot": slot, "form": form, "title": _("Grade an essay")},
    )


def quiz_report(request, quiz_id):
    _require_grader(request)
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    rows = quiz_statistics(quiz, attempts_in_reach(request.user))
    return TemplateResponse(
        request,
        "assessments/admin/quiz_report.html",
        {"quiz": quiz, "rows": rows, "chart": mark_safe(facility_chart(rows)), "title": _("Item statistics")},
    )


def export_attempts(request, quiz_id, file_format):
    _require_grader(request)
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    attempts = attempts_in_reach(request.user)
    name = f"quiz-{quiz.pk}-attempts"
    record(Action.DATA_EXPORTED, actor=request.user, target=quiz, target_label=f"{name}.{file_format}")
    if file_format == "xlsx":
        response = HttpResponse(
            attempts_xlsx(quiz, attempts),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(attempts_csv(quiz, attempts), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
