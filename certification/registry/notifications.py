"""E-mail to certificate holders: issued, revoked, and a reminder before a certificate expires.

Each message is written in both languages (zh-Hant first), since the platform does not know which one a teacher
reads in; the links go to the language-neutral paths, which redirect to the visitor's language.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..models import Certificate

REMINDER_DAYS_BEFORE_EXPIRY = 60


def _bilingual(template: str, context: dict) -> tuple[str, str]:
    subjects, bodies = [], []
    for language in ("zh-hant", "en"):
        with translation.override(language):
            subjects.append(render_to_string(f"certification/email/{template}_subject.txt", context).strip())
            bodies.append(render_to_string(f"certification/email/{template}.txt", context).strip())
    return " / ".join(subjects), "\n\n----\n\n".join(bodies)


def _send(certificate: Certificate, template: str) -> None:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "certificate": certificate,
        "verify_url": f"{base}/verify/{certificate.public_id}",
        "certificates_url": f"{base}/certificates/",
    }
    subject, body = _bilingual(template, context)
    send_mail(subject, body, None, [certificate.user.email])


def send_certificate_issued(certificate: Certificate) -> None:
    _send(certificate, "certificate_issued")


def send_certificate_revoked(certificate: Certificate) -> None:
    _send(certificate, "certificate_revoked")


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
                _send(certificate, "expiry_reminder")
                sent += 1
    return sent
