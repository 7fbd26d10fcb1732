import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.access import has_staff_access

from .answering import AnswerRefused, has_answered, is_asked, submit
from .forms import CONSENT_HELP, AnswerForm
from .models import Survey
from .results import answer_rate, can_see_results, export_rows, min_respondents, summarise


def _survey(survey_id):
    return get_object_or_404(Survey.objects.select_related("questionnaire", "session", "course"), pk=survey_id)


@login_required
def answer(request, survey_id):
    survey = _survey(survey_id)
    if not is_asked(survey, request.user):
        return render(request, "feedback/not_asked.html", {"survey": survey}, status=403)
    if has_answered(survey, request.user):
        return render(request, "feedback/thanks.html", {"survey": survey})
    questions = survey.questionnaire.questions.all()
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            submit(survey, request.user, form.answers())
        except AnswerRefused as error:
            messages.error(request, str(error))
        return redirect("feedback:answer", survey.pk)
    return render(request, "feedback/answer.html", {"survey": survey, "form": form, "consent": CONSENT_HELP})


def _managed(request, survey_id):
    survey = _survey(survey_id)
    if not can_see_results(survey, request.user):
        raise PermissionDenied
    return survey


@login_required
def surveys(request):
    """The surveys a person may read the results of, with each session's answer rate."""
    user = request.user
    found = Survey.objects.select_related("questionnaire", "session", "course").order_by("-created_at")
    if not (user.is_superuser or has_staff_access(user)):
        found = found.filter(Q(session__organisers=user) | Q(course__trainers=user)).distinct()
    rows = [(survey, answer_rate(survey)) for survey in found[:100]]
    return render(request, "feedback/surveys.html", {"rows": rows})


@login_required
def results(request, survey_id):
    survey = _managed(request, survey_id)
    return render(
        request,
        "feedback/results.html",
        {
            "survey": survey,
            "summary": summarise(survey),
            "rate": answer_rate(survey),
            "minimum": min_respondents(),
        },
    )


def _spreadsheet_safe(cell):
    """A cell beginning with = + - @ would run as a formula in a spreadsheet: answers are text, never formulas."""
    return f"'{cell}" if isinstance(cell, str) and cell[:1] in "=+-@" else cell


def _as_csv(rows) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 Chinese correctly only with the byte-order mark
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def _as_xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Feedback"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXPORTS = {
    "csv": (_as_csv, "text/csv; charset=utf-8"),
    "xlsx": (_as_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@login_required
def export(request, survey_id, extension):
    """The answer sheets, unnamed, as CSV or Excel; refused, like the results, below the minimum of respondents."""
    survey = _managed(request, survey_id)
    if summarise(survey) is None:
        messages.error(
            request,
            _("Results can be exported once at least %(minimum)s people have answered.")
            % {"minimum": min_respondents()},
        )
        return redirect("feedback:results", survey.pk)
    write, content_type = EXPORTS[extension]
    rows = [[_spreadsheet_safe(cell) for cell in row] for row in export_rows(survey)]
    response = HttpResponse(write(rows), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="feedback-{survey.pk}.{extension}"'
    return response
