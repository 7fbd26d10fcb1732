"""Background work of the reports: the Excel exports. Tasks take ids, never model instances, and are safe to run
twice."""

from django_tasks import task

from .export_jobs import build_export


@task()
def build_report_export(export_id: int) -> str:
    return build_export(export_id)
