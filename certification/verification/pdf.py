"""Checking an uploaded PDF: is it a certificate signed by us and unchanged since?

:func:`verify_certificate_pdf` answers with a :class:`PdfCheck`. It never raises for bad input: every hostile or
broken upload gets its own :class:`PdfVerdict`. ``SIGNED_BY_US`` means the cryptography holds: our trust root,
an intact signature, covering every byte of the file. Whether the certificate is *genuine* (in the registry) or
*revoked* is for the caller to decide by looking up ``PdfCheck.sha256`` (and ``signer_fingerprint``) in the
registry; a file that passes here but is not in the registry was signed with our key yet never issued.

Long-term validation (PAdES B-LT and B-LTA, see :mod:`certification.documents.long_term`): after our signature a
file may carry updates that only add validation material to the document security store (DSS) and document
timestamps, nothing that changes what the page shows. pyHanko's difference analysis must find nothing else
(anything more, a form field, an annotation, an edited object, is ``APPENDED``), no second signature may follow
ours, and every document timestamp must be intact. Trust in our signer is checked with the validation material the
file carries, at the moment given (now by default): a B-LT file therefore still verifies after the signer's
certificate has expired, as of the signature's timestamp. Bytes after the last signature or timestamp (the DSS a
timestamp adds) are covered by no signature, only by the registry's SHA-256 of the whole file.

Settings: ``CERTIFICATE_UPLOAD_MAX_BYTES`` (default 5 MB, checked before anything is parsed) and the trust root
``CERTIFICATE_TRUST_ROOT`` (default the development CA, see :mod:`certification.documents.pki`). The system trust
store is never consulted: a signature from any other CA, however reputable, is "not ours".
"""

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, SuspiciousModification
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko_certvalidator import ValidationContext

from ..documents.long_term import signer_trust_root, trust_roots
from ..documents.pki import certificate_fingerprint

DEFAULT_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
# The PDF specification lets a header start anywhere in the first 1024 bytes; readers accept that, so do we.
HEADER_WINDOW = 1024
EOF = b"%%EOF"
MODIFY_DATE = re.compile(rb'xmp:ModifyDate="[^"]*"|<xmp:ModifyDate>[^<]*</xmp:ModifyDate>')

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


def verify_certificate_pdf(data: bytes, *, moment: datetime | None = None) -> PdfCheck:
    """Check ``data`` (the uploaded file) against our trust root; see :class:`PdfVerdict` for the outcomes.

    ``moment`` is when to judge the signer's certificate (default now): ``scripts/verify_certificates.py --at``
    uses it to check that the stored certificates will still verify after their signing certificate expires.
    """
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

    # Ours is the first and only signature; a second one is an update appended after ours. Document timestamps
    # (B-LTA) may follow it.
    signature, *later = signatures
    if signature.sig_object_type != "/Sig":
        return PdfCheck(PdfVerdict.UNSIGNED, sha256)
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
        context = _validation_context(reader, moment)
        status = _validate(signature, reader, moment)
        if not (status.intact and status.valid):
            return PdfCheck(PdfVerdict.MODIFIED, sha256, **signer_details)
        if not _only_long_term_updates_after(data, signature, status.coverage, later, context):
            return PdfCheck(PdfVerdict.APPENDED, sha256, **signer_details)
        trusted = status.trusted or _trusted_when_timestamped(signature, status, reader)
    except _PARSE_ERRORS:
        return PdfCheck(PdfVerdict.MODIFIED, sha256, **signer_details)
    verdict = PdfVerdict.SIGNED_BY_US if trusted else PdfVerdict.NOT_OURS
    return PdfCheck(verdict, sha256, **signer_details)


def _trusted_when_timestamped(signature, status, reader: PdfFileReader) -> bool:
    """Whether our signer and the time-stamping authority were trusted at the moment the signature's timestamp
    gives (a signing certificate that has expired since), judged with the validation material embedded then."""
    timestamp = status.timestamp_validity
    if timestamp is None or not (timestamp.intact and timestamp.valid):
        return False
    then = _validate(signature, reader, timestamp.timestamp)
    return then.trusted and then.timestamp_validity is not None and then.timestamp_validity.trusted


def _only_long_term_updates_after(data: bytes, signature, coverage, later, context: ValidationContext) -> bool:
    """Whether everything after our signature is long-term validation material: DSS updates and intact document
    timestamps, as pyHanko's difference analysis sees them."""
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    if coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return False
    if any(timestamp.sig_object_type != "/DocTimeStamp" for timestamp in later):
        return False
    # Updates end with their own %%EOF; bytes after the last one (a comment, anything) belong to no revision.
    if signature.signed_revision == signature.reader.xrefs.total_revisions - 1 or not data.rstrip().endswith(EOF):
        return False
    if not _same_document_information(signature.reader, signature.signed_revision):
        return False
    changes = signature.evaluate_modifications(DEFAULT_DIFF_POLICY)
    if isinstance(changes, SuspiciousModification) or changes.modification_level > ModificationLevel.LTA_UPDATES:
        return False
    for timestamp in later:
        status = validate_pdf_timestamp(timestamp, context, skip_diff=True)
        if not (status.intact and status.valid):
            return False
    return True


def _same_document_information(reader: PdfFileReader, revision: int) -> bool:
    """pyHanko's difference analysis lets a timestamping update rewrite the document information and the XMP
    metadata (it refreshes their modification date); a title changed that way is an edit, so only the dates may
    differ from the signed revision."""
    signed = reader.get_historical_resolver(revision)
    return _information(signed) == _information(reader) and _xmp(signed) == _xmp(reader)


def _resolved(resolver, value):
    # Resolve in the given revision: a reference's own get_object() would read the newest one.
    return resolver.get_object(value.reference) if isinstance(value, generic.IndirectObject) else value


def _information(resolver) -> dict:
    info = _resolved(resolver, resolver.trailer_view.raw_get("/Info")) if "/Info" in resolver.trailer_view else {}
    return {key: str(_resolved(resolver, info.raw_get(key))) for key in info if key != "/ModDate"}


def _xmp(resolver) -> bytes:
    root = _resolved(resolver, resolver.trailer_view.raw_get("/Root"))
    if "/Metadata" not in root:
        return b""
    return MODIFY_DATE.sub(b"", _resolved(resolver, root.raw_get("/Metadata")).data)


def _validate(signature, reader: PdfFileReader, moment: datetime | None):
    """Our signature, trusted only if it chains to our own root; its timestamp may come from the TSA's CA."""
    return validate_pdf_signature(
        signature,
        _validation_context(reader, moment, roots=[signer_trust_root()]),
        ts_validation_context=_validation_context(reader, moment),
        skip_diff=True,
    )


def _validation_context(reader: PdfFileReader, moment: datetime | None, roots=None) -> ValidationContext:
    """Our trust roots only (the TSA's too, unless ``roots`` says otherwise), nothing fetched from the network; the
    certificates, OCSP responses and CRLs the file carries in its DSS (B-LT) are used, and revocation is checked
    where they allow it."""
    options = {"trust_roots": roots or trust_roots(), "allow_fetching": False, "revocation_mode": "soft-fail"}
    if moment is not None:
        options["moment"] = moment
    try:
        return DocumentSecurityStore.read_dss(reader).as_validation_context(options)
    except NoDSSFoundError:
        return ValidationContext(**options)
