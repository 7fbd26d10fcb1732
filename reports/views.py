from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.models import Action
from audit.recording import record

from .export_jobs import recent_exports, request_export
from .exports import EXPORTS, XLSX_CONTENT_TYPE, csv_response
from .filters import ReportFilterForm
from .models import ReportExport
from .scope import ReportScope
from .statistics import dashboard_charts


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
        "recent_exports": [(EXPORTS.get(export.report), export) for export in recent_exports(request.user)],
    }
    return render(request, "reports/exports.html", context, status=200 if valid else 400)


def export(request, slug, file_format):
    """CSV streams in the response; Excel is asked for (POST) and built by a task, then downloaded from the list."""
    scope = ReportScope.for_user(request.user)
    report = EXPORTS.get(slug)
    if report is None or file_format not in ("csv", "xlsx"):
        raise Http404
    if not report.allowed_for(scope):
        raise PermissionDenied
    if file_format == "xlsx" and request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = filter_form(request, scope)
    if not form.is_valid():
        return exports(request)
    filters = form.filters()
    record(
        Action.DATA_EXPORTED,
        actor=request.user,
        target_label=f"{slug}.{file_format}",
        changes={"report": slug, "format": file_format, "filters": filters.as_data()},
    )
    if file_format == "csv":
        return csv_response(report, scope, filters)
    request_export(request.user, report, filters)
    messages.success(
        request,
        _("“%(report)s” is being prepared as an Excel file. It appears under “Your Excel exports” when it is ready.")
        % {"report": report.title},
    )
    return redirect(f"{reverse('reports:exports')}?{filters.query_string()}")


def download_export(request, export_id):
    """The requester's own finished export, and nobody else's: another user's id is simply not found."""
    scope = ReportScope.for_user(request.user)
    export = get_object_or_404(ReportExport, pk=export_id, requested_by=request.user, status=ReportExport.Status.DONE)
    report = EXPORTS.get(export.report)
    if report is None or not report.allowed_for(scope):
        raise PermissionDenied
    if not export.file or not export.file.storage.exists(export.file.name):
        messages.error(request, _("The file of this export is no longer kept. Export the report again."))
        return redirect("reports:exports")
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type=XLSX_CONTENT_TYPE,
    )
