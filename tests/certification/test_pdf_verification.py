"""Uploaded PDFs: our signed certificate passes; every tampered, foreign or broken file gets its own verdict.

The tampering cases run on each PAdES level we produce: B-B (development PKI), B-LT (the test PKI's signer with
OCSP, CRL and TSA: validation material in a DSS revision after the signature) and B-LTA (then an archival
document timestamp and its own DSS update)."""

import hashlib
import io
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pyhanko.pdf_utils.generic import pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.pdfgen.canvas import Canvas

from certification.documents.long_term import add_archival_timestamp
from certification.documents.pki import ensure_development_pki
from certification.documents.rendering import render_certificate_pdf
from certification.documents.signing import sign_certificate_pdf
from certification.verification.pdf import PdfVerdict, verify_certificate_pdf


@pytest.fixture(scope="module")
def module_pki(tmp_path_factory):
    return tmp_path_factory.mktemp("pki")


LEVELS = ["B-B", "B-LT", "B-LTA"]


@dataclass(frozen=True)
class Document:
    data: bytes
    sha256: str
    signer_fingerprint: str
    level: str


@pytest.fixture(params=LEVELS)
def certificate(request, make_snapshot):
    if request.param != "B-B":
        request.getfixturevalue("ltv_pki")
    signed = sign_certificate_pdf(render_certificate_pdf(make_snapshot()))
    data = add_archival_timestamp(signed.data).data if request.param == "B-LTA" else signed.data
    assert signed.pades_level == ("B-B" if request.param == "B-B" else "B-LT")
    return Document(data, hashlib.sha256(data).hexdigest(), signed.signer_fingerprint, request.param)


def last_signed_byte(data: bytes) -> int:
    """Where the bytes covered by the last signature or document timestamp end: after it, only a DSS update."""
    reader = PdfFileReader(io.BytesIO(data))
    start, length, tail_start, tail_length = reader.embedded_signatures[-1].byte_range
    return tail_start + tail_length


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
    signed_data = PdfFileReader(io.BytesIO(certificate.data)).embedded_signatures[0].signed_data
    value = signed_data["signer_infos"][0]["signature"].native.hex().upper().encode()
    # Inside the hex-encoded CMS: the signature bytes themselves (not the certificates carried beside them).
    position = certificate.data.upper().index(value) + len(value) // 2
    data[position] = ord("0") if data[position] != ord("0") else ord("1")

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
    refusals = {PdfVerdict.MALFORMED, PdfVerdict.MODIFIED}
    if certificate.level != "B-B":
        # Cut inside the DSS or timestamp updates after an intact signature: a partial update after signing.
        refusals.add(PdfVerdict.APPENDED)

    assert check(truncated) in refusals


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

    # A change may leave the signed bytes intact only where a signature value's hex padding is (zeros that are
    # not part of the CMS), or, in B-LT/B-LTA, in the DSS update after the last signature, which no signature
    # covers: there only the registry's SHA-256 of the whole file catches it (the upload page then refuses it).
    result = verify_certificate_pdf(bytes(data))

    assert result.verdict in set(PdfVerdict)
    if result.verdict == PdfVerdict.SIGNED_BY_US:
        assert result.sha256 != certificate.sha256
        in_padding = any(
            start < index < certificate.data.index(b">", start) for start in _signature_values(certificate.data)
        )
        in_unsigned_tail = certificate.level != "B-B" and index >= last_signed_byte(certificate.data)
        assert in_padding or in_unsigned_tail


def _signature_values(data: bytes):
    start = data.find(b"/Contents <")
    while start != -1:
        yield start
        start = data.find(b"/Contents <", start + 1)


@hypothesis_settings(max_examples=100, deadline=None)
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_behind_a_pdf_header_never_crash_the_check(tail):
    assert check(b"%PDF-1.7\n" + tail) in set(PdfVerdict) - {PdfVerdict.SIGNED_BY_US}
