"""Issuing with the signing key in a PKCS#11 token (SoftHSM2): a token that fails issues nothing, a retry completes."""

import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from django.core import mail
from django.core.files.storage import default_storage
from wagtail.models import ModelLogEntry

from certification.documents.signing import SigningKeyUnavailable
from certification.models import Certificate, LogEntry, SerialCounter
from certification.registry.issuing import complete_certificate, issue_certificate
from certification.verification.pdf import PdfVerdict, verify_certificate_pdf
from tests.certification.poppler import pdfsig

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("break_the_token", "message"),
    [
        (lambda settings, monkeypatch: monkeypatch.setenv("CERTIFICATE_PKCS11_PIN", "999999"), "refused the user PIN"),
        (
            lambda settings, monkeypatch: setattr(settings, "CERTIFICATE_PKCS11_KEY_LABEL", "retired-key"),
            "no private key labelled 'retired-key'",
        ),
    ],
    ids=["wrong PIN", "missing key label"],
)
def test_a_failing_token_issues_nothing_and_a_retry_signs_on_the_token(
    settings,
    monkeypatch,
    token_signing,
    teacher,
    programme,
    django_capture_on_commit_callbacks,
    break_the_token,
    message,
):
    certificate = issue_certificate(teacher, programme, origin=Certificate.Origin.MANUAL)
    break_the_token(settings, monkeypatch)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(SigningKeyUnavailable, match=message):
        complete_certificate(certificate.pk)

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.PENDING
    assert not certificate.pdf and not certificate.pdf_sha256 and not certificate.signer_fingerprint
    assert not LogEntry.objects.exists()
    assert not ModelLogEntry.objects.filter(action="certification.sign").exists()
    assert mail.outbox == []
    folder = f"certificates/{certificate.issued_on.year}"
    assert not default_storage.exists(folder) or default_storage.listdir(folder) == ([], [])
    # The serial belongs to the pending certificate (gap-free numbering): the retry keeps it, none is taken twice.
    assert SerialCounter.objects.get(year=certificate.issued_on.year).last_number == 1

    monkeypatch.setenv("CERTIFICATE_PKCS11_PIN", token_signing.user_pin)
    settings.CERTIFICATE_PKCS11_KEY_LABEL = "certificate-signing"
    with django_capture_on_commit_callbacks(execute=True):
        completed = complete_certificate(certificate.pk)

    assert completed.status == Certificate.Status.ISSUED and completed.serial == certificate.serial
    data = completed.pdf.read()
    assert "Signature is Valid." in pdfsig(data)
    assert verify_certificate_pdf(data).verdict == PdfVerdict.SIGNED_BY_US
    token_certificate = token_signing.ec_certificate.public_bytes(serialization.Encoding.DER)
    assert completed.signer_fingerprint == hashlib.sha256(token_certificate).hexdigest()
    assert LogEntry.objects.count() == 1
    assert SerialCounter.objects.get(year=certificate.issued_on.year).last_number == 1
