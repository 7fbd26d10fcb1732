"""Long-term validation of certificate signatures: PAdES B-LT at signing, B-LTA afterwards.

A signature alone (B-B, or B-T with a timestamp) verifies only while the signer's certificate is valid and its CA
answers revocation queries. B-LT embeds, in the document security store (DSS), everything a verifier needs later:
the certificate chain and the OCSP responses or CRLs collected at signing, for the signer and for the
time-stamping authority. B-LTA then covers the document, DSS included, with a document timestamp, and renews that
timestamp (with the validation material of the previous one) before its authority's certificate expires, so the
evidence stays verifiable after every certificate in it has expired (ETSI EN 319 142-1).

:func:`long_term_plan` decides, for a signer certificate, whether B-LT is possible: it needs a time-stamping
authority (``CERTIFICATE_TSA_URL``) and a signer certificate that names an OCSP responder or a CRL distribution
point. When it is not (the development PKI publishes neither), signing falls back to B-T or B-B and the reason is
kept in the certificate's record. :func:`add_archival_timestamp` is the B-LTA step the scheduled command
(``timestamp_certificate_archives``) runs.

Settings: ``CERTIFICATE_TSA_TRUST_ROOTS``, PEM files of the CAs the time-stamping authority chains to when that is
not the platform's own CA; ``CERTIFICATE_REVOCATION_TIMEOUT`` (seconds per OCSP/CRL request, default 10).
"""

import io
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils.translation import gettext_noop
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import timestamps
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.validation import add_validation_info
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

from .pki import trust_root_path

DEFAULT_REVOCATION_TIMEOUT = 10
# Why a signature is not B-LT, as recorded on the certificate (English; the admin shows them translated).
NO_TSA = gettext_noop("No time-stamping authority is configured (CERTIFICATE_TSA_URL), so the signature is B-B.")
NO_REVOCATION_SOURCE = gettext_noop(
    "The signing certificate names no OCSP responder and no CRL distribution point, so no revocation "
    "information can be embedded: the signature is B-T."
)


class LongTermValidationUnavailable(Exception):
    """The archival timestamp cannot be added (no time-stamping authority, or a document we cannot extend)."""


@dataclass(frozen=True)
class LongTermPlan:
    """How a signature will be made: ``validation_context`` is None when it cannot be B-LT, and ``fallback`` says
    why (one of the messages above)."""

    tsa_url: str | None
    validation_context: ValidationContext | None
    fallback: str = ""

    @property
    def pades_level(self) -> str:
        if self.validation_context is not None:
            return "B-LT"
        return "B-T" if self.tsa_url else "B-B"


@dataclass(frozen=True)
class ArchivedPdf:
    """A document after an archival timestamp: its bytes, and when and by whose certificate it was stamped."""

    data: bytes
    timestamped_at: datetime
    tsa_certificate_expires: datetime


def tsa_url() -> str | None:
    return getattr(settings, "CERTIFICATE_TSA_URL", None) or None


def signer_trust_root() -> asn1_x509.Certificate:
    """The platform's trust root: the only CA whose signatures are ours."""
    path = trust_root_path()
    return _certificate(str(path), path.stat().st_mtime_ns)


def trust_roots() -> list[asn1_x509.Certificate]:
    """The platform's trust root and the time-stamping authority's, if it is another CA's: trust for timestamps
    and for collecting validation material, never for deciding that a signature is ours."""
    paths = [Path(path) for path in getattr(settings, "CERTIFICATE_TSA_TRUST_ROOTS", ())]
    return [signer_trust_root(), *(_certificate(str(path), path.stat().st_mtime_ns) for path in paths)]


@lru_cache(maxsize=8)
def _certificate(path: str, modified: int) -> asn1_x509.Certificate:
    return load_cert_from_pemder(path)


def publishes_revocation(certificate: asn1_x509.Certificate) -> bool:
    """Whether the certificate says where its revocation status is published (OCSP or CRL)."""
    return bool(certificate.ocsp_urls or certificate.crl_distribution_points)


def fetching_validation_context() -> ValidationContext:
    """A context that fetches OCSP responses and CRLs and requires them: what the DSS is filled from."""
    timeout = int(getattr(settings, "CERTIFICATE_REVOCATION_TIMEOUT", DEFAULT_REVOCATION_TIMEOUT))
    return ValidationContext(
        trust_roots=trust_roots(),
        allow_fetching=True,
        revocation_mode="hard-fail",
        fetcher_backend=RequestsFetcherBackend(per_request_timeout=timeout),
    )


def long_term_plan(signer_certificate: asn1_x509.Certificate) -> LongTermPlan:
    url = tsa_url()
    if not url:
        return LongTermPlan(tsa_url=None, validation_context=None, fallback=NO_TSA)
    if not publishes_revocation(signer_certificate):
        return LongTermPlan(tsa_url=url, validation_context=None, fallback=NO_REVOCATION_SOURCE)
    return LongTermPlan(tsa_url=url, validation_context=fetching_validation_context())


@lru_cache(maxsize=2)
def timestamper(url: str) -> timestamps.HTTPTimeStamper:
    return timestamps.HTTPTimeStamper(url, timeout=10)


def has_document_security_store(reader: PdfFileReader) -> bool:
    try:
        DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return False
    return True


def add_archival_timestamp(pdf: bytes) -> ArchivedPdf:
    """Bring a signed certificate to B-LTA, or renew its archival timestamp: incremental updates that add the
    validation material of the newest timestamp (or of the signature, the first time) to the DSS and cover the
    whole file with a new document timestamp (pyHanko then adds the new timestamp's own material after it). The
    input bytes are a prefix of the output.

    Raises :class:`LongTermValidationUnavailable` without a TSA or for a document with no signature, and
    pyHanko's/certvalidator's errors when the validation material cannot be fetched (nothing is written then).
    """
    url = tsa_url()
    if not url:
        raise LongTermValidationUnavailable(NO_TSA)
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    signatures = reader.embedded_regular_signatures
    if not signatures:
        raise LongTermValidationUnavailable("The document carries no signature to archive.")
    context = fetching_validation_context()
    data = pdf
    if not reader.embedded_timestamp_signatures:
        # The first archival timestamp of a signature made B-T (before B-LT was in place, by a signer that publishes
        # its revocation status): it first gets its own validation material, as B-LT would have had it.
        signature = signatures[0]
        if not has_document_security_store(reader) and publishes_revocation(signature.signer_cert):
            output = add_validation_info(signature, context, output=io.BytesIO())
            data = output.getvalue()
            reader = PdfFileReader(io.BytesIO(data), strict=False)
    output = PdfTimeStamper(timestamper(url)).update_archival_timestamp_chain(
        reader, context, in_place=False, output=io.BytesIO()
    )
    stamped = output.getvalue()
    newest = PdfFileReader(io.BytesIO(stamped), strict=False).embedded_timestamp_signatures[-1]
    token = newest.signed_data
    tsa_certificate = newest.signer_cert
    return ArchivedPdf(
        data=stamped,
        timestamped_at=token["encap_content_info"]["content"].parsed["gen_time"].native,
        tsa_certificate_expires=tsa_certificate["tbs_certificate"]["validity"]["not_after"].native,
    )
