"""The notification centre: what a person sees, and marking it read."""

from django.utils import timezone

from .bell import forget_unread_count
from .models import Notification


def shown_to(user):
    return Notification.objects.filter(recipient=user, in_app=True)


def mark_read(user, notification_id: int) -> Notification | None:
    """Mark one of ``user``'s own notifications read; None for anyone else's (nothing changes)."""
    notification = shown_to(user).filter(pk=notification_id).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        forget_unread_count(user.pk)
    return notification


def mark_all_read(user) -> int:
    marked = shown_to(user).filter(read_at__isnull=True).update(read_at=timezone.now())
    if marked:
        forget_unread_count(user.pk)
    return marked
