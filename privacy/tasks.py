"""Background work of personal data: building a person's copy. Tasks take ids and are safe to run twice."""

from django_tasks import task

from .export import build_export


@task()
def build_data_export(export_id: int) -> str:
    return build_export(export_id)
