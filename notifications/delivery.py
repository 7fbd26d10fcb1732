"""Telling people: the one door every app uses. What goes out by e-mail, and when, is in ``emails``."""

from django.db import transaction

from .bell import forget_unread_count
from .kinds import Delivery, kind_of
from .models import Notification
from .preferences import choice_for
from .tasks import send_notification_email


def notify(recipient, event: str, *, url: str = "", context: dict | None = None, email=None) -> Notification | None:
    """Tell ``recipient`` of ``event`` as they chose; None when they chose to hear nothing of its kind.

    ``context`` fills the event's message (JSON values only); ``email`` is an optional ``(subject, body)`` a sender
    writes itself, used instead of the message when the e-mail goes out at once.
    """
    if not recipient.is_active:
        return None  # a deactivated or deleted account is told nothing
    kind = kind_of(event)
    choice = choice_for(recipient, kind)
    if not choice.in_app and choice.email == Delivery.OFF:
        return None
    subject, body = email or ("", "")
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        event=event,
        context=context or {},
        url=url,
        in_app=choice.in_app,
        awaiting_digest=choice.email == Delivery.DIGEST and bool(recipient.email),
        email_subject=subject[:255],
        email_body=body,
    )
    if choice.in_app:
        forget_unread_count(recipient.pk)
    if choice.email == Delivery.IMMEDIATE and recipient.email:
        transaction.on_commit(lambda: send_notification_email.enqueue(notification.pk))
    return notification
