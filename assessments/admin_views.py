"""Moving questions in and out of the bank from the Wagtail admin: Moodle XML and GIFT import, Moodle XML export."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .gift import read_gift
from .interchange import MAX_FILE_BYTES, save_import
from .models import Question, QuestionCategory
from .moodle_xml import read_moodle_xml, write_moodle_xml

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
