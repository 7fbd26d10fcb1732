"""Background work of certification, through Django's task framework (immediate in development, a database queue
with workers in production). Tasks take ids, never model instances, and are safe to run twice."""

from django.contrib.auth import get_user_model
from django_tasks import task

from .admin.bulk import issue_items
from .registry.automation import act_on_eligibility
from .registry.issuing import complete_certificate
from .registry.notifications import send_expiry_reminders as send_reminders


@task()
def render_and_sign_certificate(certificate_id: int) -> str:
    return complete_certificate(certificate_id).status


@task()
def reevaluate_teacher(user_id: int) -> list[str]:
    user = get_user_model().objects.filter(pk=user_id).first()
    return act_on_eligibility(user) if user is not None else []


@task()
def issue_bulk_items(item_ids: list[int]) -> dict[str, int]:
    return issue_items(item_ids)


@task()
def send_expiry_reminders() -> int:
    return send_reminders()
