from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from .exports import EXPORTS, csv_response, xlsx_response
from .filters import ReportFilterForm
from .scope import ReportScope
from .statistics import dashboard_charts

FORMATS = {"csv": csv_response, "xlsx": xlsx_response}


def filter_form(request, scope):
    # Always bound: empty filters are valid and mean "the last twelve months, everything in scope".
    return ReportFilterForm(request.GET, scope=scope)


def dashboard(request):
    scope = ReportScope.for_user(request.user)
    form = filter_form(request, scope)
    context = {"page_title": _("Statistics dashboard"), "header_icon": "table", "form": form, "scope": scope}
    if form.is_valid():
        filters = form.filters()
        context.update(filters=filters, charts=dashboard_charts(scope, filters))
        return render(request, "reports/dashboard.html", context)
    return render(request, "reports/dashboard.html", context, status=400)


def exports(request):
    scope = ReportScope.for_user(request.user)
    form = filter_form(request, scope)
    valid = form.is_valid()
    context = {
        "page_title": _("Reports and exports"),
        "header_icon": "download",
        "form": form,
        "exports": [export for export in EXPORTS.values() if export.allowed_for(scope)],
        "filters": form.filters() if valid else None,
    }
    return render(request, "reports/exports.html", context, status=200 if valid else 400)


def export(request, slug, file_format):
    scope = ReportScope.for_user(request.user)
    report = EXPORTS.get(slug)
    if report is None or file_format not in FORMATS:
        raise Http404
    if not report.allowed_for(scope):
        raise PermissionDenied
    form = filter_form(request, scope)
    if not form.is_valid():
        return exports(request)
    return FORMATS[file_format](report, scope, form.filters())
