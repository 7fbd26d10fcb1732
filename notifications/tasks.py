"""Background work of notifications (immediate in development, the database queue with workers in production).
Tasks take ids and are safe to run twice."""

from django_tasks import task

from . import emails


@task()
def send_notification_email(notification_id: int) -> bool:
    return emails.send_email_now(notification_id)


@task()
def send_digest(user_id: int) -> int:
    return emails.send_digest(user_id)
