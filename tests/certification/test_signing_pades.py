import hashlib
import io

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from certification.documents.pki import CA_CERTIFICATE, SIGNER_P12
from certification.documents.rendering import render_certificate_pdf
from certification.documents.signing import SigningKeyUnavailable, platform_signer, sign_certificate_pdf
from tests.certification.poppler import pdfsig, pdftotext
from tests.conftest import TEST_PASSPHRASE


@pytest.fixture
def signed(make_snapshot):
    return sign_certificate_pdf(render_certificate_pdf(make_snapshot()))


def test_pdfsig_reports_a_valid_signature_over_the_whole_file(signed):
    report = pdfsig(signed.data)

    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "Signature Type: ETSI.CAdES.detached" in report


def test_pyhanko_validates_the_signature_against_our_trust_root(signed, platform_pki):
    reader = PdfFileReader(io.BytesIO(signed.data))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(platform_pki / CA_CERTIFICATE))])

    status = validate_pdf_signature(signature, context)

    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line


def test_the_signature_is_not_trusted_without_our_root(signed):
    (signature,) = PdfFileReader(io.BytesIO(signed.data)).embedded_signatures

    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[], allow_fetching=False))

    assert status.intact and not status.trusted


def test_the_signed_file_still_reads_as_the_certificate(signed):
    assert "王小明" in pdftotext(signed.data)


def test_the_result_names_the_hash_and_the_signer_fingerprint(signed, platform_pki):
    _key, certificate, _chain = pkcs12.load_key_and_certificates(
        (platform_pki / SIGNER_P12).read_bytes(), TEST_PASSPHRASE.encode()
    )

    assert signed.sha256 == hashlib.sha256(signed.data).hexdigest()
    assert signed.signer_fingerprint == certificate.fingerprint(certificate.signature_hash_algorithm).hex()
    assert signed.pades_level == "B-B"


def test_the_signer_certificate_has_non_repudiation(signed):
    (signature,) = PdfFileReader(io.BytesIO(signed.data)).embedded_signatures
    certificate: asn1_x509.Certificate = signature.signer_cert

    assert {"non_repudiation", "digital_signature"} <= set(certificate.key_usage_value.native)
    assert not certificate.ca


def test_the_signer_is_loaded_once_per_process():
    assert platform_signer() is platform_signer()


def test_a_missing_key_in_production_names_the_command(settings, tmp_path, make_snapshot):
    settings.PKI_ROOT = tmp_path / "empty"

    with pytest.raises(SigningKeyUnavailable, match="ensure_signing_key"):
        sign_certificate_pdf(render_certificate_pdf(make_snapshot()))


def test_a_wrong_passphrase_is_a_clear_error(settings, make_snapshot):
    settings.CERTIFICATE_SIGNING_PASSPHRASE = "not the passphrase"

    with pytest.raises(SigningKeyUnavailable, match="CERTIFICATE_SIGNING_PASSPHRASE"):
        sign_certificate_pdf(render_certificate_pdf(make_snapshot()))


def test_in_development_the_key_is_created_on_first_use(settings, tmp_path, make_snapshot):
    settings.PKI_ROOT = tmp_path / "pki"
    settings.CERTIFICATE_DEVELOPMENT_PKI = True

    signed = sign_certificate_pdf(render_certificate_pdf(make_snapshot()))

    assert (tmp_path / "pki" / SIGNER_P12).exists()
    assert "Signature is Valid." in pdfsig(signed.data)


def test_the_signature_binds_the_signer_certificate_for_every_document(make_snapshot):
    # The signing-certificate-v2 attribute is prepared once per process; it must still name our certificate.
    for holder in ("王小明", "李美玲"):
        signed = sign_certificate_pdf(render_certificate_pdf(make_snapshot(holder_name_zh=holder)))
        (signature,) = PdfFileReader(io.BytesIO(signed.data)).embedded_signatures
        (attribute,) = [
            a for a in signature.signer_info["signed_attrs"] if a["type"].native == "signing_certificate_v2"
        ]
        (certificate_id,) = attribute["values"][0]["certs"]

        assert certificate_id["cert_hash"].native == hashlib.sha256(signature.signer_cert.dump()).digest()
