"""Renewing a certificate that has expired (or expires within the reminder window), by its programme's rule."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Certificate, CertificationProgramme
from .eligibility import TeacherRecord, format_number
from .issuing import reissue_certificate
from .notifications import REMINDER_DAYS_BEFORE_EXPIRY


@dataclass(frozen=True)
class RenewalCheck:
    allowed: bool
    detail: str


def renewal_check(certificate: Certificate, record: TeacherRecord | None = None, today=None) -> RenewalCheck | None:
    """Whether the holder may renew ``certificate`` now; None when renewal is not a question (not expiring)."""
    today = today or timezone.localdate()
    if (
        certificate.status != Certificate.Status.ISSUED
        or not certificate.is_current
        or certificate.valid_until is None
        or certificate.valid_until > today + timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY)
    ):
        return None
    rule = certificate.programme.renewal_rule
    if rule == CertificationProgramme.RenewalRule.NOT_RENEWABLE:
        return RenewalCheck(False, _("This certificate cannot be renewed; earn it again through the programme."))
    if rule == CertificationProgramme.RenewalRule.ON_REQUEST:
        return RenewalCheck(True, _("You can renew this certificate now."))
    record = record or TeacherRecord.load(certificate.user)
    since = datetime.combine(certificate.issued_on, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
    hours = record.hours_since(since)
    needed = certificate.programme.renewal_hours
    return RenewalCheck(
        hours >= needed,
        _("%(current)s of %(required)s study hours since this certificate was issued")
        % {"current": format_number(hours), "required": format_number(needed)},
    )


class RenewalRefused(Exception):
    pass


def renew_certificate(certificate: Certificate, *, by) -> Certificate:
    check = renewal_check(certificate)
    if check is None or not check.allowed:
        raise RenewalRefused(check.detail if check else _("This certificate is not due for renewal."))
    return reissue_certificate(certificate, by=by, origin=Certificate.Origin.RENEWAL)
