"""`manage.py pkcs11_signing_key`: installing a key as docs/certificates.md says, on the SoftHSM2 token."""

import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from django.core.management.base import CommandError
from pkcs11 import Attribute, ObjectClass

from certification.documents.pki import issue_development_signing_certificate
from certification.documents.rendering import render_certificate_pdf
from certification.documents.signing import SigningKeyUnavailable, close_token_session, sign_certificate_pdf
from certification.verification.pdf import PdfVerdict, verify_certificate_pdf
from tests.certification.poppler import pdfsig


def _issue_from_request(request_path, pki_root, destination):
    request = x509.load_pem_x509_csr(request_path.read_bytes())
    certificate = issue_development_signing_certificate(request.public_key(), pki_root)
    destination.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate


def _fingerprint(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def test_generate_request_import_then_sign(settings, token_signing, platform_pki, make_snapshot, tmp_path):
    settings.CERTIFICATE_PKCS11_KEY_LABEL = "certificate-signing-2027"

    call_command("pkcs11_signing_key", "generate")

    with token_signing.open_session() as session:
        key = session.get_key(ObjectClass.PRIVATE_KEY, label="certificate-signing-2027")
        assert key[Attribute.SENSITIVE] and not key[Attribute.EXTRACTABLE] and key[Attribute.NEVER_EXTRACTABLE]
    with pytest.raises(CommandError, match="already holds objects labelled 'certificate-signing-2027'"):
        call_command("pkcs11_signing_key", "generate")

    request_path = tmp_path / "signer.csr"
    call_command(
        "pkcs11_signing_key",
        "request",
        "--common-name",
        "IE Academy Certificate Signing 2027",
        "--output",
        request_path,
    )
    request = x509.load_pem_x509_csr(request_path.read_bytes())
    assert request.is_signature_valid
    assert request.subject.rfc4514_string() == "CN=IE Academy Certificate Signing 2027,O=IE Academy,C=TW"
    key_usage = request.extensions.get_extension_for_class(x509.KeyUsage).value
    assert key_usage.content_commitment and key_usage.digital_signature

    with pytest.raises(SigningKeyUnavailable, match="no certificate labelled 'certificate-signing-2027'"):
        sign_certificate_pdf(render_certificate_pdf(make_snapshot()))

    certificate = _issue_from_request(request_path, platform_pki, tmp_path / "signer.pem")
    call_command("pkcs11_signing_key", "import-certificate", tmp_path / "signer.pem")
    close_token_session()

    signed = sign_certificate_pdf(render_certificate_pdf(make_snapshot()))
    report = pdfsig(signed.data)
    assert "Signature is Valid." in report and "Certificate Signing (development, PKCS#11)" in report
    assert verify_certificate_pdf(signed.data).verdict == PdfVerdict.SIGNED_BY_US
    assert signed.signer_fingerprint == _fingerprint(certificate)

    # Rotation of the certificate (same key): refused without --replace, then the renewed one signs.
    renewed = _issue_from_request(request_path, platform_pki, tmp_path / "renewed.pem")
    with pytest.raises(CommandError, match="already holds a certificate labelled"):
        call_command("pkcs11_signing_key", "import-certificate", tmp_path / "renewed.pem")
    call_command("pkcs11_signing_key", "import-certificate", tmp_path / "renewed.pem", "--replace")
    close_token_session()
    signed = sign_certificate_pdf(render_certificate_pdf(make_snapshot()))
    assert signed.signer_fingerprint == _fingerprint(renewed)


def test_a_certificate_for_another_key_is_not_imported(settings, token_signing, tmp_path):
    foreign = tmp_path / "foreign.pem"
    foreign.write_bytes(token_signing.ec_certificate.public_bytes(serialization.Encoding.PEM))
    settings.CERTIFICATE_PKCS11_KEY_LABEL = "wrappable-key"
    settings.CERTIFICATE_PKCS11_CERTIFICATE_LABEL = "not-yet-there"

    with pytest.raises(CommandError, match="does not belong to the key 'wrappable-key'"):
        call_command("pkcs11_signing_key", "import-certificate", foreign)

    with token_signing.open_session() as session:
        assert not list(session.get_objects({Attribute.LABEL: "not-yet-there"}))


def test_an_rsa_key_generated_on_the_token_gets_a_valid_request(settings, token_signing, tmp_path):
    settings.CERTIFICATE_PKCS11_KEY_LABEL = "certificate-signing-rsa-2027"

    call_command("pkcs11_signing_key", "generate", "--type", "rsa")
    call_command("pkcs11_signing_key", "request", "--common-name", "RSA signer", "--output", tmp_path / "rsa.csr")

    request = x509.load_pem_x509_csr((tmp_path / "rsa.csr").read_bytes())
    assert request.is_signature_valid and request.public_key().key_size == 3072


def test_without_configuration_the_command_says_what_to_set():
    with pytest.raises(CommandError, match="Set CERTIFICATE_PKCS11_MODULE"):
        call_command("pkcs11_signing_key", "generate")


def test_in_development_the_development_ca_certifies_a_key_generated_on_the_token(
    settings, token_signing, make_snapshot
):
    settings.CERTIFICATE_PKCS11_KEY_LABEL = "development-key"
    call_command("pkcs11_signing_key", "generate")

    with pytest.raises(CommandError, match="only with the development PKI"):
        call_command("pkcs11_signing_key", "development-certificate")

    settings.CERTIFICATE_DEVELOPMENT_PKI = True
    call_command("pkcs11_signing_key", "development-certificate")
    close_token_session()

    signed = sign_certificate_pdf(render_certificate_pdf(make_snapshot()))
    report = pdfsig(signed.data)
    assert "Signature is Valid." in report and "Certificate Signing (development, PKCS#11)" in report
    assert verify_certificate_pdf(signed.data).verdict == PdfVerdict.SIGNED_BY_US
