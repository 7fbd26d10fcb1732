"""Where the reports' background work is queued: a committed export request becomes a task."""

from django.dispatch import receiver

from .export_jobs import export_requested
from .tasks import build_report_export


@receiver(export_requested, dispatch_uid="reports.build_export")
def build_requested_export(sender, export_id, **kwargs):
    build_report_export.enqueue(export_id)
