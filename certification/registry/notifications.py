"""Telling certificate holders: issued, revoked, and a reminder before a certificate expires.

Each goes through the notification centre, so the holder's preferences decide whether it is e-mailed at once, in the
daily digest or not at all. The e-mail is written here in both languages (zh-Hant first), since the platform does not
know which one a teacher reads in; the links go to the language-neutral paths, which redirect to the visitor's
language.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications.delivery import notify

from ..models import Certificate

REMINDER_DAYS_BEFORE_EXPIRY = 60


def _bilingual(template: str, context: dict) -> tuple[str, str]:
    subjects, bodies = [], []
    for language in ("zh-hant", "en"):
        with translation.override(language):
            subjects.append(render_to_string(f"certification/email/{template}_subject.txt", context).strip())
            bodies.append(render_to_string(f"certification/email/{template}.txt", context).strip())
    return " / ".join(subjects), "\n\n----\n\n".join(bodies)


def _send(certificate: Certificate, template: str, event: str) -> None:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "certificate": certificate,
        "verify_url": f"{base}/verify/{certificate.public_id}",
        "certificates_url": f"{base}/certificates/",
    }
    notify(
        certificate.user,
        event,
        url="/certificates/",
        context={"subject": certificate.programme_name_zh, "subject_en": certificate.programme_name_en},
        email=_bilingual(template, context),
    )


def send_certificate_issued(certificate: Certificate) -> None:
    _send(certificate, "certificate_issued", "certificate_issued")


def send_certificate_revoked(certificate: Certificate) -> None:
    _send(certificate, "certificate_revoked", "certificate_revoked")


def send_expiry_reminders(today=None) -> int:
    """Remind the holders of current certificates that expire within 60 days, once each; returns how many."""
    today = today or timezone.localdate()
    due = (
        Certificate.objects.expiring_between(today, today + timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY))
        .filter(is_current=True, expiry_reminder_sent_at__isnull=True)
        .select_related("user")
    )
    sent = 0
    for certificate in due.iterator():
        with transaction.atomic():
            # Claim the reminder first, so two runs at once never send it twice.
            claimed = Certificate.objects.filter(pk=certificate.pk, expiry_reminder_sent_at__isnull=True).update(
                expiry_reminder_sent_at=timezone.now()
            )
            if claimed:
                _send(certificate, "expiry_reminder", "certificate_expiring")
                sent += 1
    return sent
