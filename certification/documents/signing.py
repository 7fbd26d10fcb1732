"""PAdES signatures on certificate PDFs with the platform's key (pyHanko).

:func:`sign_certificate_pdf` takes the unsigned bytes from
:func:`certification.documents.rendering.render_certificate_pdf` and returns a :class:`SignedPdf`: the signed bytes,
their SHA-256 and the signer certificate's fingerprint, the three things the registry keeps.

The key comes from one of two sources, chosen by :func:`platform_signer`: a PKCS#11 module (hardware security
module or smart card) when ``CERTIFICATE_PKCS11_MODULE`` and its companions are set (see
:mod:`certification.documents.pkcs11_key`), otherwise the PKCS#12 file, the development default:
``CERTIFICATE_SIGNING_P12`` (default ``PKI_ROOT/signer.p12``), ``CERTIFICATE_SIGNING_PASSPHRASE`` (from
the environment). Then ``CERTIFICATE_TSA_URL``: when set, signatures carry an RFC 3161 timestamp from that
authority, and, when the signing certificate names an OCSP responder or a CRL, the chain and the revocation
information are embedded in the document security store: PAdES B-LT (see :mod:`.long_term`, which also says when
and why it falls back to B-T, or to B-B without a TSA). With ``CERTIFICATE_DEVELOPMENT_PKI`` (default: DEBUG) a
missing key is created on first use, see :mod:`certification.documents.pki`.

The PKCS#12 is read once per process (and again only when the file changes); the PKCS#11 session is opened once
per process (and again after the token fails). The signature is an incremental
update appended to the rendered file, so it covers the whole file: anything appended later is detectable.
"""

import hashlib
import io
import os
import threading
from dataclasses import dataclass
from functools import lru_cache

from asn1crypto import tsp
from pkcs11 import PKCS11Error
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import attributes, fields, signers
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.pkcs11 import PKCS11Signer

from . import pkcs11_key
from .long_term import LongTermPlan, long_term_plan, timestamper
from .pki import (
    ORGANISATION,
    SigningKeyUnavailable,
    certificate_fingerprint,
    ensure_keys_for_use,
    signing_p12_path,
    signing_passphrase,
)

SIGNATURE_FIELD = "IEAcademyCertificateSignature"
# Room for the CMS object, so pyHanko does not sign a dummy first to measure it (that would double the cost).
RESERVED_BYTES_BASIC = 8 * 1024
RESERVED_BYTES_TIMESTAMPED = 16 * 1024


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    sha256: str
    signer_fingerprint: str
    pades_level: str
    # Why the signature is not B-LT (empty when it is): kept in the certificate's record.
    long_term_fallback: str = ""


@dataclass(frozen=True)
class _PlatformSigner:
    signer: signers.Signer
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


class _PreparedAttributes:
    """The per-certificate parts of the signature, prepared once (mixed into both key sources' signers)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.signing_certificate_attribute = _PreparedSigningCertificate(self.signing_cert)

    def _signed_attr_provider_spec(self, *args, **kwargs):
        standard = super()._signed_attr_provider_spec(*args, **kwargs)
        return _SignedAttributes(standard, self.signing_certificate_attribute)


class _CertificateSigner(_PreparedAttributes, signers.SimpleSigner):
    """pyHanko's in-memory signer for the PKCS#12 key."""


class _TokenSigner(_PreparedAttributes, PKCS11Signer):
    """pyHanko's PKCS#11 signer on the process's session, one signature at a time (a session runs one operation).

    The hash is computed here and the token only signs it (``use_raw_mechanism``): CKM_ECDSA and CKM_RSA_PKCS are
    what every module has, smart cards and SoftHSM2 included, while the hash-and-sign mechanisms are not.
    """

    def __init__(self, token_key: pkcs11_key.TokenKey):
        self.token_key = token_key
        super().__init__(
            token_key.session,
            signing_cert=token_key.certificate,
            ca_chain=token_key.chain,
            key_label=token_key.configuration.key_label,
            use_raw_mechanism=True,
        )

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:
            return await super().async_sign_raw(data, digest_algorithm, dry_run=True)
        with self.token_key.lock:
            try:
                return await super().async_sign_raw(data, digest_algorithm)
            except PKCS11Error as error:
                close_token_session()
                raise pkcs11_key.token_error(error, self.token_key.configuration) from error


def platform_signer() -> _PlatformSigner:
    """The signer of the configured key source: the PKCS#11 token when configured, otherwise the PKCS#12 file.

    Loaded once per process (and file version, for the PKCS#12).
    """
    token = pkcs11_key.token_configuration()
    if token is not None:
        return _token_signer(token)
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


def _token_signer(configuration: pkcs11_key.TokenConfiguration) -> _PlatformSigner:
    key = (configuration, os.getpid())
    with _token_signers_lock:
        if key not in _token_signers:
            # Another configuration, or a forked worker holding its parent's session: log in afresh.
            _close_token_sessions()
            _token_signers[key] = _open_token_signer(configuration)
        return _token_signers[key]


def _open_token_signer(configuration: pkcs11_key.TokenConfiguration) -> _PlatformSigner:
    token_key = pkcs11_key.open_token_key(configuration)
    try:
        signer = _TokenSigner(token_key)
    except PKCS11Error as error:
        token_key.session.close()
        raise pkcs11_key.token_error(error, configuration) from error
    return _PlatformSigner(signer=signer, fingerprint=certificate_fingerprint(token_key.certificate.dump()))


def close_token_session() -> None:
    """Close this process's PKCS#11 session: the next signature logs in afresh (after a failure, or a new PIN)."""
    with _token_signers_lock:
        _close_token_sessions()


def _close_token_sessions() -> None:
    for (_configuration, process), platform in _token_signers.items():
        if process == os.getpid():  # never a parent's session, inherited over fork
            try:
                platform.signer.token_key.session.close()
            except PKCS11Error:
                pass  # the session is already gone with the token: nothing left to close
    _token_signers.clear()


_token_signers: dict[tuple[pkcs11_key.TokenConfiguration, int], _PlatformSigner] = {}
_token_signers_lock = threading.Lock()


def signer_fingerprint() -> str:
    """SHA-256 fingerprint (hex) of the certificate new signatures are made with."""
    return platform_signer().fingerprint


def _pdf_signer(signer: signers.SimpleSigner, plan: LongTermPlan) -> signers.PdfSigner:
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=ORGANISATION,
        reason="Certificate issued by IE Academy",
        embed_validation_info=plan.validation_context is not None,
        validation_context=plan.validation_context,
    )
    return signers.PdfSigner(metadata, signer=signer, timestamper=timestamper(plan.tsa_url) if plan.tsa_url else None)


def sign_certificate_pdf(pdf: bytes) -> SignedPdf:
    """Sign ``pdf`` (bytes of an unsigned certificate) with the platform key: B-LT when a TSA is configured and
    the signing certificate publishes its revocation status, else B-T with a TSA, B-B without.

    Raises :class:`SigningKeyUnavailable` when the key is missing or its passphrase is wrong, and pyHanko's
    errors for a PDF it cannot sign, a timestamp authority that does not answer, or (B-LT) revocation
    information that cannot be fetched: a signature is never silently made weaker than the configuration asks.
    """
    platform = platform_signer()
    plan = long_term_plan(platform.signer.signing_cert)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    output = _pdf_signer(platform.signer, plan).sign_pdf(
        writer,
        bytes_reserved=RESERVED_BYTES_TIMESTAMPED if plan.tsa_url else RESERVED_BYTES_BASIC,
        output=io.BytesIO(),
    )
    data = output.getvalue()
    return SignedPdf(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        signer_fingerprint=platform.fingerprint,
        pades_level=plan.pades_level,
        long_term_fallback=plan.fallback,
    )
