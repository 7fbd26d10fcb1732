"""PAdES signatures on certificate PDFs with the platform's key (pyHanko).

:func:`sign_certificate_pdf` takes the unsigned bytes from
:func:`certification.documents.rendering.render_certificate_pdf` and returns a :class:`SignedPdf`: the signed bytes,
their SHA-256 and the signer certificate's fingerprint, the three things the registry keeps.

Settings: ``CERTIFICATE_SIGNING_P12`` (default ``PKI_ROOT/signer.p12``), ``CERTIFICATE_SIGNING_PASSPHRASE`` (from
the environment), and ``CERTIFICATE_TSA_URL``: when set, signatures carry an RFC 3161 timestamp from that
authority (PAdES-B-T); otherwise they are PAdES-B-B. With ``CERTIFICATE_DEVELOPMENT_PKI`` (default: DEBUG) a
missing key is created on first use, see :mod:`certification.documents.pki`.

The PKCS#12 is read once per process (and again only when the file changes). The signature is an incremental
update appended to the rendered file, so it covers the whole file: anything appended later is detectable.
"""

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache

from asn1crypto import tsp
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import attributes, fields, signers, timestamps
from pyhanko.sign.general import as_signing_certificate_v2

from .pki import ORGANISATION, certificate_fingerprint, ensure_keys_for_use, signing_p12_path, signing_passphrase

SIGNATURE_FIELD = "IEAcademyCertificateSignature"
# Room for the CMS object, so pyHanko does not sign a dummy first to measure it (that would double the cost).
RESERVED_BYTES_BASIC = 8 * 1024
RESERVED_BYTES_TIMESTAMPED = 16 * 1024


class SigningKeyUnavailable(ImproperlyConfigured):
    """The signing PKCS#12 is missing or cannot be opened."""


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    sha256: str
    signer_fingerprint: str
    pades_level: str


@dataclass(frozen=True)
class _PlatformSigner:
    signer: signers.SimpleSigner
    fingerprint: str


class _PreparedSigningCertificate(attributes.SigningCertificateV2Provider):
    """The signing-certificate-v2 attribute, encoded once.

    pyHanko rebuilds it with asn1crypto for every signature, and encoding that freshly built structure (twice)
    was two thirds of the signing time. The attribute only depends on the certificate, so it is parsed from
    its DER instead, which asn1crypto re-encodes for free.
    """

    def __init__(self, signing_cert):
        super().__init__(signing_cert)
        self.der = as_signing_certificate_v2(signing_cert).dump()

    async def build_attr_value(self, dry_run=False):
        return tsp.SigningCertificateV2.load(self.der)


class _SignedAttributes(attributes.SignedAttributeProviderSpec):
    def __init__(self, standard: attributes.SignedAttributeProviderSpec, signing_certificate):
        self.standard = standard
        self.signing_certificate = signing_certificate

    def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str):
        for provider in self.standard.signed_attr_providers(
            data_digest=data_digest, digest_algorithm=digest_algorithm
        ):
            if isinstance(provider, attributes.SigningCertificateV2Provider):
                yield self.signing_certificate
            else:
                yield provider


class _CertificateSigner(signers.SimpleSigner):
    """pyHanko's in-memory signer, with the per-certificate parts of the signature prepared once."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.signing_certificate_attribute = _PreparedSigningCertificate(self.signing_cert)

    def _signed_attr_provider_spec(self, *args, **kwargs):
        standard = super()._signed_attr_provider_spec(*args, **kwargs)
        return _SignedAttributes(standard, self.signing_certificate_attribute)


def platform_signer() -> _PlatformSigner:
    """The signer for the configured PKCS#12, loaded once per process and file version."""
    ensure_keys_for_use()
    path = signing_p12_path()
    try:
        modified = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise SigningKeyUnavailable(
            f"The certificate signing key {path} does not exist. Run `manage.py ensure_signing_key` to create a "
            "development key, or set CERTIFICATE_SIGNING_P12 to the platform's PKCS#12."
        ) from None
    return _load_signer(str(path), modified, signing_passphrase())


@lru_cache(maxsize=2)
def _load_signer(path: str, modified: int, passphrase: bytes | None) -> _PlatformSigner:
    # `modified` is part of the cache key only: a replaced key file is read again.
    with open(path, "rb") as file:
        data = file.read()
    try:
        loaded = signers.SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=passphrase)
    except ValueError as error:
        raise SigningKeyUnavailable(
            f"The certificate signing key {path} cannot be opened: check CERTIFICATE_SIGNING_PASSPHRASE. ({error})"
        ) from error
    signer = _CertificateSigner(
        signing_cert=loaded.signing_cert, signing_key=loaded.signing_key, cert_registry=loaded.cert_registry
    )
    return _PlatformSigner(signer=signer, fingerprint=certificate_fingerprint(signer.signing_cert.dump()))


def signer_fingerprint() -> str:
    """SHA-256 fingerprint (hex) of the certificate new signatures are made with."""
    return platform_signer().fingerprint


@lru_cache(maxsize=2)
def _timestamper(url: str) -> timestamps.HTTPTimeStamper:
    return timestamps.HTTPTimeStamper(url, timeout=10)


def _pdf_signer(signer: signers.SimpleSigner, tsa_url: str | None) -> signers.PdfSigner:
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=ORGANISATION,
        reason="Certificate issued by IE Academy",
    )
    return signers.PdfSigner(metadata, signer=signer, timestamper=_timestamper(tsa_url) if tsa_url else None)


def sign_certificate_pdf(pdf: bytes) -> SignedPdf:
    """Sign ``pdf`` (bytes of an unsigned certificate) with the platform key; B-T with a TSA, B-B without.

    Raises :class:`SigningKeyUnavailable` when the key is missing or its passphrase is wrong, and pyHanko's
    errors for a PDF it cannot sign or a timestamp authority that does not answer.
    """
    platform = platform_signer()
    tsa_url = getattr(settings, "CERTIFICATE_TSA_URL", None) or None
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    output = _pdf_signer(platform.signer, tsa_url).sign_pdf(
        writer,
        bytes_reserved=RESERVED_BYTES_TIMESTAMPED if tsa_url else RESERVED_BYTES_BASIC,
        output=io.BytesIO(),
    )
    data = output.getvalue()
    return SignedPdf(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        signer_fingerprint=platform.fingerprint,
        pades_level="B-T" if tsa_url else "B-B",
    )
