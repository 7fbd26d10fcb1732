import datetime

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from wagtail.models import ModelLogEntry

from certification.documents.signing import SigningKeyUnavailable
from certification.models import Certificate, CertificateImmutable, SerialCounter
from certification.registry.issuing import (
    IssuingRefused,
    complete_certificate,
    issue_certificate,
    reissue_certificate,
    revoke_certificate,
)
from certification.registry.notifications import send_expiry_reminders
from certification.verification.pdf import verify_certificate_pdf
from tests.certification.factories import ProgrammeFactory, TeacherFactory
from tests.certification.poppler import pdfsig, pdftotext
from tests.courses.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_issued_certificate_is_signed_whole_and_readable(certificate):
    data = certificate.pdf.read()
    assert certificate.status == Certificate.Status.ISSUED
    assert verify_certificate_pdf(data).signed_by_us
    report = pdfsig(data)
    assert "Signature is Valid." in report
    assert "Total document signed" in report
    text = pdftotext(data)
    assert "王小明" in text and certificate.serial in text and certificate.grouped_verification_code in text
    assert ModelLogEntry.objects.filter(action="certification.issue", object_id=str(certificate.pk)).exists()
    assert ModelLogEntry.objects.filter(action="certification.sign", object_id=str(certificate.pk)).exists()


def test_identifiers_are_unguessable_and_typable(certificate):
    assert len(certificate.public_id) == 32 and int(certificate.public_id, 16) >= 0
    assert len(certificate.verification_code) == 13  # 13 × 5 bits = 65 bits
    assert certificate.grouped_verification_code.count("-") == 3
    assert certificate.serial == f"IEA-{certificate.issued_on.year}-000001"


def test_serials_are_consecutive_per_year(programme, issue):
    teachers = TeacherFactory.create_batch(3)
    serials = [issue(user, programme).serial for user in teachers[:2]]
    next_year = issue(teachers[2], programme, today=datetime.date(2031, 1, 2)).serial
    year = datetime.date.today().year
    assert serials == [f"IEA-{year}-000001", f"IEA-{year}-000002"] or serials[0].endswith("000001")
    assert next_year == "IEA-2031-000001"


def test_second_issue_returns_the_first_certificate_and_takes_no_serial(certificate, programme, issue):
    again = issue(certificate.user, programme)
    assert again.pk == certificate.pk
    assert Certificate.objects.count() == 1
    assert SerialCounter.objects.get(year=certificate.issued_on.year).last_number == 1


def test_a_teacher_without_a_name_is_refused(programme):
    with pytest.raises(IssuingRefused):
        issue_certificate(UserFactory(), programme, origin=Certificate.Origin.MANUAL)
    assert not Certificate.objects.exists()
    assert not SerialCounter.objects.filter(last_number__gt=0).exists()


def test_crash_while_signing_leaves_a_pending_certificate_that_a_retry_completes(
    teacher, programme, settings, tmp_path
):
    settings.CERTIFICATE_SIGNING_P12 = str(tmp_path / "missing.p12")
    certificate = issue_certificate(teacher, programme, origin=Certificate.Origin.MANUAL)
    with pytest.raises(SigningKeyUnavailable):
        complete_certificate(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.PENDING
    assert not certificate.pdf and not certificate.pdf_sha256
    folder = f"certificates/{certificate.issued_on.year}"
    assert not default_storage.exists(folder) or default_storage.listdir(folder) == ([], [])

    del settings.CERTIFICATE_SIGNING_P12
    completed = complete_certificate(certificate.pk)
    assert completed.status == Certificate.Status.ISSUED
    assert completed.serial == certificate.serial
    assert default_storage.listdir(folder)[1] == [completed.pdf.name.rsplit("/", 1)[1]]


def test_an_issued_certificate_cannot_be_edited(certificate):
    certificate.holder_name_zh = "李大同"
    with pytest.raises(CertificateImmutable):
        certificate.save()
    fresh = Certificate.objects.get(pk=certificate.pk)
    fresh.valid_until = datetime.date(2099, 1, 1)
    with pytest.raises(CertificateImmutable):
        fresh.save()


def test_revocation_needs_a_reason_is_logged_and_tells_the_teacher(certificate, django_capture_on_commit_callbacks):
    admin = UserFactory(is_staff=True)
    with pytest.raises(ValueError):
        revoke_certificate(certificate, reason="  ", by=admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        revoke_certificate(certificate, reason="Attendance records were falsified.", by=admin)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoked_by == admin and certificate.revoked_at
    entry = ModelLogEntry.objects.get(action="certification.revoke", object_id=str(certificate.pk))
    assert entry.user == admin and entry.data["reason"] == "Attendance records were falsified."
    assert len(mail.outbox) == 1 and certificate.serial in mail.outbox[0].subject
    with pytest.raises(IssuingRefused):
        revoke_certificate(certificate, reason="again", by=admin)


def test_issue_sends_a_bilingual_email(teacher, programme, issue):
    mail.outbox.clear()
    certificate = issue(teacher, programme)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [teacher.email]
    assert certificate.grouped_verification_code in message.body
    assert "證書" in message.subject and "certificate" in message.subject


def test_reissue_supersedes_and_both_stay_on_record(certificate, issue, django_capture_on_commit_callbacks):
    admin = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        new = reissue_certificate(certificate, by=admin)
    new.refresh_from_db()
    certificate.refresh_from_db()
    assert new.supersedes == certificate and new.serial != certificate.serial
    assert new.status == Certificate.Status.ISSUED and new.is_current
    assert certificate.status == Certificate.Status.ISSUED and not certificate.is_current
    assert certificate.superseded_by == new
    with pytest.raises(IssuingRefused):
        reissue_certificate(certificate, by=admin)


def test_expiry_reminder_is_sent_once_sixty_days_before(teacher, issue):
    programme = ProgrammeFactory(validity_years=1)
    certificate = issue(teacher, programme, today=datetime.date.today() - datetime.timedelta(days=330))
    mail.outbox.clear()
    assert send_expiry_reminders() == 1
    assert send_expiry_reminders() == 0
    assert len(mail.outbox) == 1 and certificate.serial in mail.outbox[0].subject
