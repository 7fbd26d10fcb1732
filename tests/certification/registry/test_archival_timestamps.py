"""Issued certificates brought to PAdES B-LTA by the scheduled command, and renewed before their timestamp's
authority certificate expires; every version still verifies as the same certificate."""

import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from certification.models import Certificate, CertificateArchive
from certification.registry.lookup import find_by_pdf_hash
from certification.transparency import log as transparency_log
from certification.verification.pdf import PdfVerdict, verify_certificate_pdf
from tests.certification.factories import ProgrammeFactory

from .test_verification import upload


def archive(**options):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("timestamp_certificate_archives", stdout=out, stderr=err, **options)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def stored(name: str) -> bytes:
    with default_storage.open(name) as file:
        return file.read()


def document_timestamps(data: bytes) -> int:
    return len(PdfFileReader(io.BytesIO(data)).embedded_timestamp_signatures)


@pytest.fixture
def long_term_certificate(ltv_pki, certificate_of):
    return certificate_of()


@pytest.fixture
def certificate_of(ltv_pki, teacher, programme, issue):
    def make(user=None, programme_=None):
        return issue(user or teacher, programme_ or programme)

    return make


def test_a_certificate_issued_with_the_test_pki_is_recorded_as_b_lt(long_term_certificate):
    assert long_term_certificate.pades_level == "B-LT"
    assert long_term_certificate.long_term_fallback == ""


def test_a_certificate_issued_without_revocation_sources_records_why_it_is_not_b_lt(certificate):
    assert certificate.pades_level == "B-B"
    assert "CERTIFICATE_TSA_URL" in certificate.long_term_fallback


def test_the_command_brings_a_certificate_to_b_lta_once(long_term_certificate, client, home_page):
    issued = stored(long_term_certificate.pdf.name)

    code, out, err = archive()

    assert (code, err) == (0, "")
    assert f"{long_term_certificate.serial}: archival timestamp v1" in out
    version = CertificateArchive.objects.get(certificate=long_term_certificate)
    data = stored(version.pdf.name)
    # The chain: the new version extends the issued bytes, whose hash the registry and the transparency log keep.
    assert data[: version.previous_size] == issued
    assert version.previous_sha256 == long_term_certificate.pdf_sha256 == hashlib.sha256(issued).hexdigest()
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert document_timestamps(data) == 1
    assert version.tsa_certificate_expires > version.timestamped_at
    Certificate.objects.get(pk=long_term_certificate.pk).save()  # the issued record itself is untouched
    assert verify_certificate_pdf(data).verdict == PdfVerdict.SIGNED_BY_US
    assert find_by_pdf_hash(version.sha256) == long_term_certificate
    assert find_by_pdf_hash(long_term_certificate.pdf_sha256) == long_term_certificate
    for version_bytes in (issued, data):
        response = upload(client, version_bytes)
        assert response.status_code == 200
        assert long_term_certificate.serial in response.content.decode()

    assert archive()[:2] == (0, "Timestamped 0 certificate(s); 0 failed.\n")
    assert CertificateArchive.objects.count() == 1


def test_the_holder_downloads_the_newest_version(long_term_certificate, client):
    archive()
    client.force_login(long_term_certificate.user)

    response = client.get(reverse("certification:certificate_pdf", args=[long_term_certificate.public_id]))

    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == CertificateArchive.objects.get().sha256


def test_the_timestamp_is_renewed_before_its_authority_certificate_expires(long_term_certificate, ltv_pki, settings):
    archive()
    first = CertificateArchive.objects.get()
    # The first TSA's certificate expires in two years: renewing three years ahead makes it due now. The new
    # timestamp comes from the second TSA, whose certificate lasts twenty years.
    settings.CERTIFICATE_ARCHIVE_RENEW_BEFORE = 3 * 365
    settings.CERTIFICATE_TSA_URL = ltv_pki.second_tsa_url

    code, out, _err = archive()

    assert code == 0 and "archival timestamp v2" in out
    second = CertificateArchive.objects.get(sequence=2)
    data = stored(second.pdf.name)
    assert second.previous_sha256 == first.sha256 and data[: second.previous_size] == stored(first.pdf.name)
    assert document_timestamps(data) == 2
    assert second.tsa_certificate_expires > first.tsa_certificate_expires
    assert verify_certificate_pdf(data).verdict == PdfVerdict.SIGNED_BY_US
    assert find_by_pdf_hash(second.sha256) == long_term_certificate
    # The new authority's certificate is far from expiry: nothing more to do.
    assert archive()[1].endswith("Timestamped 0 certificate(s); 0 failed.\n")


def test_the_command_works_in_batches_and_resumes_where_it_stopped(certificate_of, ltv_pki):
    first = certificate_of()
    second = certificate_of(programme_=ProgrammeFactory(validity_years=3))

    assert archive(limit=1, batch_size=1)[1].endswith("Timestamped 1 certificate(s); 0 failed.\n")
    assert list(CertificateArchive.objects.values_list("certificate", flat=True)) == [first.pk]
    assert archive(batch_size=1)[1].endswith("Timestamped 1 certificate(s); 0 failed.\n")
    assert set(CertificateArchive.objects.values_list("certificate", flat=True)) == {first.pk, second.pk}


def test_a_stored_pdf_that_differs_from_the_registry_is_reported_and_left_alone(long_term_certificate):
    name = long_term_certificate.pdf.name
    altered = stored(name) + b"\n% altered on disk\n"
    default_storage.delete(name)
    default_storage.save(name, io.BytesIO(altered))

    code, _out, err = archive()

    assert code == 1
    assert f"{long_term_certificate.serial}: not timestamped" in err and "not the file the registry" in err
    assert not CertificateArchive.objects.exists()
    assert not default_storage.exists(f"certificates/archives/{long_term_certificate.issued_on.year}")


def test_when_the_time_stamping_authority_is_down_nothing_is_stored_and_the_next_run_catches_up(
    long_term_certificate, ltv_pki
):
    ltv_pki.stopped = {"tsa"}

    code, _out, err = archive()

    assert code == 1 and long_term_certificate.serial in err
    assert not CertificateArchive.objects.exists()
    ltv_pki.stopped = set()
    assert archive()[0] == 0
    assert CertificateArchive.objects.filter(certificate=long_term_certificate).count() == 1


def test_the_command_refuses_to_run_without_a_time_stamping_authority(settings, db):
    settings.CERTIFICATE_TSA_URL = None

    with pytest.raises(CommandError, match="CERTIFICATE_TSA_URL"):
        call_command("timestamp_certificate_archives")


def test_a_flipped_byte_in_the_unsigned_dss_tail_passes_the_signature_check_but_not_the_registry(
    long_term_certificate, client, home_page
):
    archive()
    data = bytearray(stored(CertificateArchive.objects.get().pdf.name))
    # Inside the last DSS update (after the archival timestamp, covered by no signature): a CRL's bytes.
    position = data.rindex(b"stream\n") + 40
    data[position] ^= 0x01

    response = upload(client, bytes(data))

    assert response.status_code == 422
    assert long_term_certificate.serial not in response.content.decode()


def test_the_verification_page_of_an_archived_certificate_with_its_proof_stays_under_50_kb_at_national_scale(
    long_term_certificate, client, home_page
):
    archive()
    for _index in range(12):
        transparency_log.append(Certificate.objects.select_related("supersedes").get(pk=long_term_certificate.pk))
    response = client.get(reverse("certification:verify_certificate", args=[long_term_certificate.public_id]))
    body = response.content.decode()
    proof = transparency_log.inclusion_for(Certificate.objects.get(pk=long_term_certificate.pk))

    assert response.status_code == 200
    details = body[body.index("<details") : body.index("</details>")]
    assert "<details open" not in body and "<script" not in body
    assert all(value in details for value in proof["audit_path"])
    # At 200,000 certificates (several events each) an audit path has at most 20 hashes: the page grows by one
    # list item per hash beyond the ones shown here, and must still stay under 50 KB.
    item = len(f'<li><code class="hash">{proof["audit_path"][0]}</code></li>'.encode())
    at_national_scale = len(response.content) + (20 - len(proof["audit_path"])) * item
    assert len(response.content) < at_national_scale < 50 * 1024
