"""Notification e-mails: one at once, or the daily digest.

E-mails are written in both languages (zh-Hant first), as the platform's other e-mails are, since it does not know
which one a person reads in; each carries a one-click unsubscribe (RFC 8058) for its kind.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification
from .unsubscribe import EVERY_KIND, unsubscribe_headers, unsubscribe_url

LANGUAGES = ("zh-hant", "en")


def absolute(url: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url if url.startswith("/") else url


def render_bilingual(template: str, context: dict) -> tuple[str, str]:
    """The subject and body of an e-mail in both languages, zh-Hant first, from ``<template>_subject.txt`` and
    ``<template>.txt``."""
    subjects, bodies = [], []
    for language in LANGUAGES:
        with translation.override(language):
            subjects.append(render_to_string(f"{template}_subject.txt", context).strip())
            bodies.append(render_to_string(f"{template}.txt", context).strip())
    return " / ".join(subjects), "\n\n----\n\n".join(bodies)


def _bilingual(template: str, context: dict) -> tuple[str, str]:
    return render_bilingual(f"notifications/email/{template}", context)


def _mail(recipient, subject: str, body: str, kind: str) -> EmailMessage:
    return EmailMessage(subject, body, None, [recipient.email], headers=unsubscribe_headers(recipient.pk, kind))


def send_email_now(notification_id: int) -> bool:
    """E-mail one notification, once however often it is asked; False when there was nothing to send."""
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            return False
        notification = Notification.objects.select_related("recipient").get(pk=notification_id)
        recipient = notification.recipient
        if notification.email_subject:
            subject = notification.email_subject
            body = notification.email_body + _unsubscribe_footer(recipient.pk, notification.kind)
        else:
            context = {
                "notification": notification,
                "link": absolute(notification.url),
                "unsubscribe_url": unsubscribe_url(recipient.pk, notification.kind),
                "preferences_url": absolute("/notifications/preferences/"),
            }
            subject, body = _bilingual("notification", context)
        # Sent inside the claim: a failure to send releases it for the next attempt.
        _mail(recipient, subject, body, notification.kind).send()
    return True


def _unsubscribe_footer(user_id: int, kind: str) -> str:
    context = {"unsubscribe_url": unsubscribe_url(user_id, kind)}
    return "\n\n" + "\n".join(
        _render_in(language, "notifications/email/unsubscribe_footer.txt", context) for language in LANGUAGES
    )


def _render_in(language: str, template: str, context: dict) -> str:
    with translation.override(language):
        return render_to_string(template, context).strip()


def recipients_awaiting_digest() -> list[int]:
    return list(
        Notification.objects.filter(awaiting_digest=True).values_list("recipient_id", flat=True).distinct().order_by()
    )


def send_digest(user_id: int) -> int:
    """One e-mail with everything ``user_id`` is waiting to hear in the digest; returns how many it listed.

    The notifications are claimed in the transaction that sends the e-mail, so two workers never list the same one
    and a failed send leaves them for the next run.
    """
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update()
            .filter(recipient_id=user_id, awaiting_digest=True)
            .select_related("recipient")
            .order_by("created_at", "pk")
        )
        if not waiting:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
            awaiting_digest=False, emailed_at=timezone.now()
        )
        recipient = waiting[0].recipient
        items = [{"notification": n, "link": absolute(n.url)} for n in waiting]
        context = {
            "items": items,
            "count": len(items),
            "unsubscribe_url": unsubscribe_url(recipient.pk, EVERY_KIND),
            "preferences_url": absolute("/notifications/preferences/"),
        }
        subject, body = _bilingual("digest", context)
        _mail(recipient, subject, body, EVERY_KIND).send()
    return len(waiting)
