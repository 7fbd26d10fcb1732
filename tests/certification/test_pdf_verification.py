"""Uploaded PDFs: our signed certificate passes; every tampered, foreign or broken file gets its own verdict."""

import io

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pyhanko.pdf_utils.generic import pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.pdfgen.canvas import Canvas

from certification.documents.pki import ensure_development_pki
from certification.documents.rendering import render_certificate_pdf
from certification.documents.signing import sign_certificate_pdf
from certification.verification.pdf import PdfVerdict, verify_certificate_pdf


@pytest.fixture(scope="module")
def module_pki(tmp_path_factory):
    return tmp_path_factory.mktemp("pki")


@pytest.fixture
def certificate(make_snapshot):
    return sign_certificate_pdf(render_certificate_pdf(make_snapshot()))


def check(data: bytes) -> PdfVerdict:
    return verify_certificate_pdf(data).verdict


def test_our_signed_certificate_passes_with_its_hash_and_signer(certificate):
    result = verify_certificate_pdf(certificate.data)

    assert result.verdict == PdfVerdict.SIGNED_BY_US
    assert result.signed_by_us
    assert result.sha256 == certificate.sha256
    assert result.signer_fingerprint == certificate.signer_fingerprint
    assert "IE Academy Certificate Signing" in result.signer_subject
    assert result.signed_at is not None


def test_a_flipped_byte_in_the_content_is_caught(certificate):
    data = bytearray(certificate.data)
    # A byte inside the first stream (the embedded font), well away from the file's structure.
    data[certificate.data.index(b"stream") + 200] ^= 0x01

    result = verify_certificate_pdf(bytes(data))

    assert result.verdict == PdfVerdict.MODIFIED
    assert result.sha256 != certificate.sha256


def test_a_flipped_byte_in_the_signature_value_is_caught(certificate):
    data = bytearray(certificate.data)
    contents = certificate.data.index(b"/Contents <") + len(b"/Contents <")
    # Inside the hex-encoded CMS, past its header: the signature bytes themselves.
    data[contents + 400] = ord("0") if data[contents + 400] != ord("0") else ord("1")

    assert check(bytes(data)) == PdfVerdict.MODIFIED


def test_data_appended_after_signing_is_caught(certificate):
    assert check(certificate.data + b"\n% appended after signing\n") == PdfVerdict.APPENDED


def test_an_incremental_update_that_edits_the_certificate_is_caught(certificate):
    # What a PDF editor does: a valid incremental update after the signature (here it rewrites the title).
    writer = IncrementalPdfFileWriter(io.BytesIO(certificate.data))
    writer.trailer["/Info"]["/Title"] = pdf_string("Certificate of Professional Competency IEA-2026-999999")
    writer.update_container(writer.trailer["/Info"])
    output = io.BytesIO()
    writer.write(output)

    assert check(output.getvalue()) == PdfVerdict.APPENDED


def test_a_certificate_signed_by_another_ca_is_not_ours(settings, module_pki, make_snapshot):
    # A look-alike: same software, same layout, its own CA and signer.
    foreign_root = module_pki / "foreign"
    ensure_development_pki(foreign_root)
    ours = settings.PKI_ROOT
    settings.PKI_ROOT = foreign_root
    forged = sign_certificate_pdf(render_certificate_pdf(make_snapshot()))
    settings.PKI_ROOT = ours

    result = verify_certificate_pdf(forged.data)

    assert result.verdict == PdfVerdict.NOT_OURS
    assert result.signer_fingerprint == forged.signer_fingerprint


def test_an_unsigned_certificate_is_not_an_original(make_snapshot):
    assert check(render_certificate_pdf(make_snapshot())) == PdfVerdict.UNSIGNED


def test_an_encrypted_pdf_is_refused():
    buffer = io.BytesIO()
    canvas = Canvas(buffer, encrypt="secret")
    canvas.drawString(100, 100, "Certificate")
    canvas.save()

    assert check(buffer.getvalue()) == PdfVerdict.ENCRYPTED


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
def test_a_truncated_certificate_is_malformed_or_modified_never_ours(certificate, fraction):
    truncated = certificate.data[: int(len(certificate.data) * fraction)]

    assert check(truncated) in {PdfVerdict.MALFORMED, PdfVerdict.MODIFIED}


def test_a_50_mb_upload_is_refused_before_parsing(certificate):
    assert check(certificate.data + b"\0" * (50 * 1024 * 1024)) == PdfVerdict.TOO_LARGE


def test_the_size_limit_comes_from_settings(settings, certificate):
    settings.CERTIFICATE_UPLOAD_MAX_BYTES = len(certificate.data) - 1

    assert check(certificate.data) == PdfVerdict.TOO_LARGE


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello",
        b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
        b"PK\x03\x04" + b"\0" * 100,
        b"<html>" + b" " * 2000 + b"%PDF-1.7",
    ],
    ids=["empty", "text", "png", "zip", "header-too-late"],
)
def test_what_is_not_a_pdf_is_said_so(data):
    assert check(data) == PdfVerdict.NOT_PDF


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n",
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF",
        b"%PDF-" + b"\xff" * 500,
    ],
    ids=["header-only", "no-xref", "garbage"],
)
def test_a_broken_pdf_is_malformed(data):
    assert check(data) == PdfVerdict.MALFORMED


def test_every_verdict_has_a_message():
    assert all(str(verdict.label) for verdict in PdfVerdict)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.floats(min_value=0, max_value=1, exclude_max=True), value=st.integers(min_value=1, max_value=255))
def test_no_single_byte_change_is_accepted_or_crashes(certificate, position, value):
    data = bytearray(certificate.data)
    index = int(position * len(data))
    data[index] ^= value

    # A change may leave the signed bytes intact only where the signature value's hex padding is (zeros that are
    # not part of the CMS); everywhere else it must be refused.
    result = verify_certificate_pdf(bytes(data))

    assert result.verdict in set(PdfVerdict)
    if result.verdict == PdfVerdict.SIGNED_BY_US:
        assert result.sha256 != certificate.sha256
        signature_start = certificate.data.index(b"/Contents <")
        assert signature_start < index < certificate.data.index(b">", signature_start)


@hypothesis_settings(max_examples=100, deadline=None)
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_behind_a_pdf_header_never_crash_the_check(tail):
    assert check(b"%PDF-1.7\n" + tail) in set(PdfVerdict) - {PdfVerdict.SIGNED_BY_US}
