"""Excel exports as background jobs: asked for in the admin, built by a task, downloaded when ready, then removed.

Every Excel export, small or national, goes this one way, so that no request ever writes a workbook. The task
validates the filters again against the requester's scope at the time it runs (a trainer who has since lost a
course does not get it), records the number of rows or the reason it failed, and keeps the file in the default
storage under an unguessable name; only ``views.download_export`` hands it out.
"""

import datetime
import logging
import secrets
import tempfile

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .exports import EXPORTS, file_name, write_workbook
from .filters import ReportFilterForm
from .models import ReportExport
from .scope import ReportScope

logger = logging.getLogger(__name__)

RECENT_EXPORTS = 10
# Long enough to come back for a file after a weekend; the data stays in the database anyway.
RETENTION_DAYS = 7

# Sent with ``export_id=`` once a request is committed; ``reports.receivers`` queues the task that builds it, so this
# module never imports the tasks that call it.
export_requested = Signal()


class ExportRefused(Exception):
    """The export cannot be built for this requester; the message says why, in their language."""


def request_export(user, report, filters) -> ReportExport:
    """Record the request and announce it (``export_requested``) when the transaction commits."""
    export = ReportExport.objects.create(
        requested_by=user,
        report=report.slug,
        filters=filters.as_data(),
        language=translation.get_language() or "",
    )
    transaction.on_commit(lambda: export_requested.send(sender=ReportExport, export_id=export.pk))
    return export


def recent_exports(user):
    return ReportExport.objects.filter(requested_by=user).order_by("-created_at", "-pk")[:RECENT_EXPORTS]


def build_export(export_id: int) -> str:
    """Build a queued export's workbook; safe to run twice (only a queued export is started)."""
    started = ReportExport.objects.filter(pk=export_id, status=ReportExport.Status.QUEUED).update(
        status=ReportExport.Status.RUNNING, started_at=timezone.now()
    )
    export = ReportExport.objects.select_related("requested_by").filter(pk=export_id).first()
    if export is None or not started:
        return export.status if export else "missing"
    with translation.override(export.language or None):
        try:
            row_count = write_export_file(export)
        except ExportRefused as refusal:
            fail(export, str(refusal))
        except Exception as error:
            logger.exception("Report export %s failed", export.pk)
            fail(
                export,
                _("The export could not be prepared (%(error)s). Try again, or choose a shorter period.")
                % {"error": type(error).__name__},
            )
        else:
            export.status, export.row_count = ReportExport.Status.DONE, row_count
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "row_count", "file", "finished_at"])
    return export.status


def write_export_file(export) -> int:
    try:
        scope = ReportScope.for_user(export.requested_by)
    except PermissionDenied:
        raise ExportRefused(_("You may no longer see the reports.")) from None
    report = EXPORTS.get(export.report)
    if report is None or not report.allowed_for(scope):
        raise ExportRefused(_("This report is not available to you."))
    form = ReportFilterForm(export.filters, scope=scope)
    if not form.is_valid():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        raise ExportRefused(_("The filters are not valid: %(problems)s") % {"problems": " ".join(problems)})
    filters = form.filters()
    with tempfile.TemporaryFile() as workbook:
        row_count = write_workbook(report, scope, filters, workbook)
        workbook.seek(0)
        # A random folder: the name of the file stays readable, its address cannot be guessed.
        export.file.save(f"{secrets.token_hex(16)}/{file_name(report, filters, 'xlsx')}", File(workbook), save=False)
    return row_count


def fail(export, message):
    export.status, export.error = ReportExport.Status.FAILED, message
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "finished_at"])


def delete_old_exports(days: int, now=None) -> int:
    """Delete the exports (rows and files) asked for more than ``days`` days ago; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    old = ReportExport.objects.filter(created_at__lt=cutoff)
    deleted = 0
    for export in old.iterator():
        if export.file:
            export.file.delete(save=False)
        export.delete()
        deleted += 1
    return deleted
