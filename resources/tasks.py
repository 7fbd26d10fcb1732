"""Background work of teaching resources. Tasks take ids and are safe to run twice."""

from django_tasks import task

from .models import Resource
from .previews import render_preview


@task()
def draw_preview(resource_id: int) -> bool:
    resource = Resource.objects.filter(pk=resource_id).first()
    return resource is not None and render_preview(resource)
