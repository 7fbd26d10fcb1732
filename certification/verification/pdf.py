"""Checking an uploaded PDF: is it a certificate signed by us and unchanged since?

:func:`verify_certificate_pdf` answers with a :class:`PdfCheck`. It never raises for bad input: every hostile or
broken upload gets its own :class:`PdfVerdict`. ``SIGNED_BY_US`` means the cryptography holds: our trust root,
an intact signature, covering every byte of the file. Whether the certificate is *genuine* (in the registry) or
*revoked* is for the caller to decide by looking up ``PdfCheck.sha256`` (and ``signer_fingerprint``) in the
registry; a file that passes here but is not in the registry was signed with our key yet never issued.

Settings: ``CERTIFICATE_UPLOAD_MAX_BYTES`` (default 5 MB, checked before anything is parsed) and the trust root
``CERTIFICATE_TRUST_ROOT`` (default the development CA, see :mod:`certification.documents.pki`). The system trust
store is never consulted: a signature from any other CA, however reputable, is "not ours".
"""

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from ..documents.pki import certificate_fingerprint, trust_root_path

DEFAULT_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
# The PDF specification lets a header start anywhere in the first 1024 bytes; readers accept that, so do we.
HEADER_WINDOW = 1024

# What a hostile or broken file makes pyHanko raise besides its own PdfError (its validation errors are ValueErrors).
_PARSE_ERRORS = (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError, OSError)


class PdfVerdict(models.TextChoices):
    SIGNED_BY_US = "signed_by_us", _("The signature is ours and the file is unchanged since it was signed.")
    NOT_PDF = "not_pdf", _("This file is not a PDF.")
    TOO_LARGE = "too_large", _("This file is too large to be one of our certificates.")
    MALFORMED = "malformed", _("This PDF is damaged or incomplete, so it cannot be checked.")
    ENCRYPTED = "encrypted", _("This PDF is encrypted. Our certificates never are, so it is not an original.")
    UNSIGNED = "unsigned", _("This PDF carries no digital signature, so it is not an original certificate.")
    MODIFIED = "modified", _("The signature does not match the content: this PDF was altered after it was signed.")
    APPENDED = "appended", _("Content was added to this PDF after it was signed, so it is not the original file.")
    NOT_OURS = "not_ours", _("This PDF is signed, but not by IE Academy.")


@dataclass(frozen=True)
class PdfCheck:
    """The outcome of checking one uploaded file.

    ``sha256`` is the hash of the uploaded bytes, always set, to match against the registry. The signer fields
    are set whenever a signature could be read, also for a foreign or broken one (useful in an audit log).
    """

    verdict: PdfVerdict
    sha256: str
    signer_fingerprint: str | None = None
    signer_subject: str | None = None
    signed_at: datetime | None = None

    @property
    def signed_by_us(self) -> bool:
        return self.verdict == PdfVerdict.SIGNED_BY_US

    @property
    def message(self) -> str:
        return self.verdict.label


def upload_limit() -> int:
    return int(getattr(settings, "CERTIFICATE_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))


def verify_certificate_pdf(data: bytes) -> PdfCheck:
    """Check ``data`` (the uploaded file) against our trust root; see :class:`PdfVerdict` for the outcomes."""
    sha256 = hashlib.sha256(data).hexdigest()
    if len(data) > upload_limit():
        return PdfCheck(PdfVerdict.TOO_LARGE, sha256)
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        return PdfCheck(PdfVerdict.NOT_PDF, sha256)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=True)
        if reader.encrypted:
            return PdfCheck(PdfVerdict.ENCRYPTED, sha256)
        signatures = reader.embedded_signatures
    except _PARSE_ERRORS:
        return PdfCheck(PdfVerdict.MALFORMED, sha256)
    if not signatures:
        return PdfCheck(PdfVerdict.UNSIGNED, sha256)

    # Ours is the first and only signature; a second one is an update appended after ours.
    signature = signatures[0]
    try:
        signer = signature.signer_cert
        signer_details = {
            "signer_fingerprint": certificate_fingerprint(signer.dump()),
            "signer_subject": signer.subject.human_friendly,
            "signed_at": signature.self_reported_timestamp,
        }
    except _PARSE_ERRORS:
        return PdfCheck(PdfVerdict.MODIFIED, sha256)
    try:
        status = validate_pdf_signature(signature, _validation_context(), skip_diff=True)
    except _PARSE_ERRORS:
        return PdfCheck(PdfVerdict.MODIFIED, sha256, **signer_details)

    if not (status.intact and status.valid):
        verdict = PdfVerdict.MODIFIED
    elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE or len(signatures) > 1:
        verdict = PdfVerdict.APPENDED
    elif not status.trusted:
        verdict = PdfVerdict.NOT_OURS
    else:
        verdict = PdfVerdict.SIGNED_BY_US
    return PdfCheck(verdict, sha256, **signer_details)


def _validation_context() -> ValidationContext:
    path = trust_root_path()
    root = _trust_root(str(path), path.stat().st_mtime_ns)
    # Our own CA only, nothing fetched from the network; our certificates publish no revocation endpoints.
    return ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")


@lru_cache(maxsize=2)
def _trust_root(path: str, modified: int) -> asn1_x509.Certificate:
    return load_cert_from_pemder(path)
