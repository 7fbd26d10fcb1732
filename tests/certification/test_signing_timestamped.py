"""PAdES-B-T: with CERTIFICATE_TSA_URL set, the signature carries an RFC 3161 timestamp from that authority.

The authority is a real HTTP server on the loopback interface, answering with pyHanko's in-process TSA.
"""

import datetime
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from certification.documents.pki import CA_CERTIFICATE
from certification.documents.rendering import render_certificate_pdf
from certification.documents.signing import sign_certificate_pdf
from certification.verification.pdf import PdfVerdict, verify_certificate_pdf
from tests.certification.poppler import pdfsig


def make_tsa_identity():
    # pyHanko's in-process authority signs with RSA only.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Time Stamping Authority")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        asn1_keys.PrivateKeyInfo.load(der_key),
    )


@pytest.fixture
def timestamp_authority():
    certificate, key = make_tsa_identity()
    stamper = DummyTimeStamper(tsa_cert=certificate, tsa_key=key)
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(self.headers["Content-Type"])
            response = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(response)))
            self.end_headers()
            self.wfile.write(response)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}/", "certificate": certificate, "requests": requests}
    server.shutdown()
    server.server_close()


def test_a_configured_authority_makes_the_signature_pades_b_t(
    settings, timestamp_authority, make_snapshot, platform_pki
):
    settings.CERTIFICATE_TSA_URL = timestamp_authority["url"]

    signed = sign_certificate_pdf(render_certificate_pdf(make_snapshot()))

    assert signed.pades_level == "B-T"
    assert timestamp_authority["requests"] == ["application/timestamp-query"]
    (signature,) = PdfFileReader(io.BytesIO(signed.data)).embedded_signatures
    our_trust = ValidationContext(trust_roots=[load_cert_from_pemder(str(platform_pki / CA_CERTIFICATE))])
    status = validate_pdf_signature(
        signature,
        signer_validation_context=our_trust,
        ts_validation_context=ValidationContext(trust_roots=[timestamp_authority["certificate"]]),
    )
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.valid
    assert "Signature is Valid." in pdfsig(signed.data)
    assert "Total document signed" in pdfsig(signed.data)
    assert verify_certificate_pdf(signed.data).verdict == PdfVerdict.SIGNED_BY_US


def test_an_unreachable_authority_fails_the_signing_instead_of_silently_dropping_to_b_b(settings, make_snapshot):
    settings.CERTIFICATE_TSA_URL = "http://127.0.0.1:9/"

    with pytest.raises(TimestampRequestError):
        sign_certificate_pdf(render_certificate_pdf(make_snapshot()))
