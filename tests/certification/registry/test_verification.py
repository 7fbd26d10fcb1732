import datetime
import io
from urllib.parse import quote_plus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

from certification.credentials.open_badges import verify_credential
from certification.models import Certificate
from certification.registry.issuing import revoke_certificate
from tests.certification.factories import ProgrammeFactory, TeacherFactory
from tests.certification.status_list_reader import status_bit
from tests.courses.factories import UserFactory

pytestmark = pytest.mark.django_db

UNKNOWN_SHAPES = ["ZZZZ-ZZZZ-ZZZZ-Z", "abc", "", "'; DROP TABLE certificates; --", "０１２３", "x" * 500, "7K3M9QXD"]


def verify_code(client, code, **extra):
    return client.get(reverse("certification:verify"), {"code": code}, **extra)


def test_valid_certificate_by_code_shows_everything(client, certificate, home_page):
    response = verify_code(client, certificate.grouped_verification_code.lower().replace("-", " "))
    assert response.status_code == 200
    body = response.content.decode()
    for value in ("serial", "holder_name_zh", "holder_name_en", "pdf_sha256", "signer_fingerprint"):
        assert getattr(certificate, value) in body
    assert "verification-valid" in body


def test_qr_target_by_public_id(client, certificate, home_page):
    response = client.get(reverse("certification:verify_certificate", args=[certificate.public_id]))
    assert response.status_code == 200 and certificate.serial in response.content.decode()


def test_qr_url_without_language_redirects_to_the_readers_language(client, certificate, home_page):
    response = client.get(f"/verify/{certificate.public_id}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == f"/en/verify/{certificate.public_id}"


def test_expired_certificate(client, teacher, issue, home_page):
    programme = ProgrammeFactory(validity_years=1)
    certificate = issue(teacher, programme, today=datetime.date.today() - datetime.timedelta(days=400))
    body = verify_code(client, certificate.verification_code).content.decode()
    assert "verification-expired" in body and certificate.valid_until.isoformat() in body


def test_revoked_certificate_shows_date_and_reason(client, certificate, home_page):
    revoke_certificate(certificate, reason="Issued in error", by=UserFactory())
    body = verify_code(client, certificate.verification_code).content.decode()
    assert "verification-revoked" in body and "Issued in error" in body


@pytest.mark.parametrize("shape", UNKNOWN_SHAPES)
def test_unknown_codes_all_get_the_same_answer(client, certificate, home_page, shape):
    reference = verify_code(client, "ZZZZ-ZZZZ-ZZZZ-Z")
    response = verify_code(client, shape)
    assert response.status_code == reference.status_code == 404
    # The page echoes what was typed (in the field and the language links); everything else is identical.
    echoes = [escape(shape[:64]), quote_plus(shape), "ZZZZ-ZZZZ-ZZZZ-Z"]

    def without_echoes(html):
        for echo in sorted(echoes, key=len, reverse=True):
            html = html.replace(echo, "") if echo else html
        return html

    assert without_echoes(response.content.decode()) == without_echoes(reference.content.decode())


def test_pending_certificate_is_unknown(client, teacher, programme, home_page):
    from certification.registry.issuing import issue_certificate

    pending = issue_certificate(teacher, programme, origin=Certificate.Origin.MANUAL)
    assert verify_code(client, pending.verification_code).status_code == 404
    url = reverse("certification:verify_certificate", args=[pending.public_id])
    assert client.get(url).status_code == 404


def test_enumeration_is_rate_limited_per_client(client, certificate, home_page, settings):
    settings.VERIFY_UNKNOWN_LOOKUPS_PER_HOUR = 5
    statuses = [verify_code(client, f"AAAA-AAAA-AAAA-{index}").status_code for index in range(8)]
    assert statuses[:5] == [404] * 5 and set(statuses[5:]) == {429}
    # Even a real code is refused now, from this address; another address is not affected.
    assert verify_code(client, certificate.verification_code).status_code == 429
    assert verify_code(client, certificate.verification_code, REMOTE_ADDR="10.9.8.7").status_code == 200


def test_lookups_per_minute_are_limited(client, certificate, home_page, settings):
    settings.VERIFY_LOOKUPS_PER_MINUTE = 3
    statuses = [verify_code(client, certificate.verification_code).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_verification_page_query_count(client, certificate, home_page, django_assert_max_num_queries):
    verify_code(client, certificate.verification_code)  # warm the site and settings caches a real server keeps
    with django_assert_max_num_queries(5):
        response = verify_code(client, certificate.verification_code)
    assert response.status_code == 200


def upload(client, data, name="certificate.pdf"):
    return client.post(reverse("certification:verify_pdf"), {"pdf": SimpleUploadedFile(name, data)})


def test_upload_genuine(client, certificate, home_page):
    response = upload(client, certificate.pdf.read())
    assert response.status_code == 200
    body = response.content.decode()
    assert "verification-valid" in body and certificate.serial in body


def test_upload_revoked(client, certificate, home_page):
    data = certificate.pdf.read()
    revoke_certificate(certificate, reason="Duplicate record", by=UserFactory())
    body = upload(client, data).content.decode()
    assert "verification-revoked" in body and "Duplicate record" in body


def test_upload_flipped_byte_is_modified(client, certificate, home_page):
    data = bytearray(certificate.pdf.read())
    position = data.find(certificate.serial.encode()) if certificate.serial.encode() in data else len(data) // 3
    data[position] ^= 0x01
    response = upload(client, bytes(data))
    assert response.status_code == 422
    assert certificate.serial not in response.content.decode() or "verification-valid" not in response.content.decode()


def test_upload_appended_data_is_caught(client, certificate, home_page):
    response = upload(client, certificate.pdf.read() + b"\n% appended after signing\n")
    assert response.status_code == 422 and "verification-valid" not in response.content.decode()


def test_upload_signed_by_another_key_is_not_ours(client, certificate, home_page, tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Forger")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(b"forger", key, cert, None, serialization.NoEncryption())
    signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=(), passphrase=None)
    # The forger signs a copy of our own rendered certificate, stripped of nothing: only the key differs.
    from certification.documents.rendering import render_certificate_pdf
    from certification.registry.issuing import certificate_snapshot

    unsigned = render_certificate_pdf(certificate_snapshot(certificate))
    output = signers.PdfSigner(signers.PdfSignatureMetadata(field_name="Sig"), signer=signer).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(unsigned)), output=io.BytesIO()
    )
    response = upload(client, output.getvalue())
    assert response.status_code == 422 and "verification-valid" not in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [b"", b"PK\x03\x04 not a pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", b"\x00" * 2048],
    ids=["empty", "zip", "truncated", "binary"],
)
def test_upload_bad_files_get_a_clear_message(client, home_page, data):
    response = upload(client, data)
    assert response.status_code in {400, 422}
    assert "verification-problem" in response.content.decode() or response.status_code == 400


def test_upload_oversized_is_refused_before_parsing(client, home_page, settings):
    settings.CERTIFICATE_UPLOAD_MAX_BYTES = 1024
    response = upload(client, b"%PDF-1.7\n" + b"0" * 200_000)
    assert response.status_code == 413


def test_upload_truncated_real_certificate(client, certificate, home_page):
    data = certificate.pdf.read()
    response = upload(client, data[: len(data) // 2])
    assert response.status_code == 422


def test_open_badge_credential_verifies_with_the_published_keys(client, certificate, home_page):
    client.force_login(certificate.user)
    token = client.get(reverse("certification:certificate_credential", args=[certificate.public_id])).content.decode()
    jwks = client.get(reverse("credentials:jwks")).json()
    payload = verify_credential(token, jwks)
    assert payload["credentialSubject"]["licenseNumber"] == certificate.serial
    assert status_bit(client, jwks, payload["credentialStatus"]) == 0
    revoke_certificate(certificate, reason="Revoked for the test", by=UserFactory())
    assert status_bit(client, jwks, payload["credentialStatus"]) == 1
    status_path = reverse("credentials:status", args=[certificate.public_id])
    assert client.get(status_path).json()["revoked"] is True  # the human-readable status, in our words


def test_teacher_downloads_only_their_own_pdf(client, certificate, home_page):
    url = reverse("certification:certificate_pdf", args=[certificate.public_id])
    assert client.get(url).status_code == 302
    client.force_login(TeacherFactory())
    assert client.get(url).status_code == 404
    client.force_login(certificate.user)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == certificate.pdf.read()


def test_my_certificates_lists_certificates_and_checklists(client, certificate, home_page):
    client.force_login(certificate.user)
    body = client.get(reverse("certification:my_certificates")).content.decode()
    assert certificate.serial in body and certificate.grouped_verification_code in body
    assert f"/verify/{certificate.public_id}" in body


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_a_shown_certificate_comes_before_any_form_and_the_page_stays_small(client, certificate, home_page, language):
    for response in (
        client.get(f"/{language}/verify/{certificate.public_id}"),
        client.get(f"/{language}/verify/", {"code": certificate.verification_code}),
    ):
        body = response.content.decode()
        assert len(response.content) < 50_000
        assert "verification-valid" in body
        # The verdict first; the form is behind the "check another" link, not above the verdict.
        assert 'name="code"' not in body
        assert body.index("verification-valid") < body.index('class="verification-next"')


def test_an_unknown_code_shows_the_verdict_then_the_form_to_try_again(client, home_page):
    body = client.get("/zh-hant/verify/", {"code": "0000-0000-0000-0"}).content.decode()
    assert body.index("verification-unknown") < body.index('name="code"')
