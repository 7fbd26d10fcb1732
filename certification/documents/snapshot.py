"""What a certificate says, frozen at the moment it is issued.

The PDF renderer and the Open Badges credential are built from a :class:`CertificateSnapshot` only, never from
models: a certificate must read the same in ten years, whatever happens to the teacher's profile or the programme
in the meantime. The issuing code copies the model data into a snapshot once, stores it with the certificate, and
hands it to :func:`certification.documents.rendering.render_certificate_pdf` and
:func:`certification.credentials.build_open_badge_credential`.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple


class Signatory(NamedTuple):
    """A person who signs the certificate, in both languages, with the picture of their signature or seal
    (PNG/JPEG) if there is one."""

    name_zh: str
    name_en: str
    title_zh: str
    title_en: str
    image: Path | None = None


class CourseTitle(NamedTuple):
    zh: str
    en: str


class Alignment(NamedTuple):
    """A competency indicator the certificate's courses were aligned to, as it read when the certificate was issued:
    ``framework_*`` names the framework version, ``url`` is the indicator's public page."""

    framework_zh: str
    framework_en: str
    code: str
    name_zh: str
    name_en: str
    url: str


@dataclass(frozen=True, kw_only=True)
class CertificateSnapshot:
    """Everything printed on a certificate.

    ``county`` is the display string of the county/city (e.g. "臺北市 Taipei City"). ``hours`` counts online and
    workshop hours together. ``courses`` and ``signatories`` accept plain tuples: ``("中文", "English")`` and
    ``("姓名", "Name", "職稱", "Title", Path | None)``; ``alignments`` likewise take the fields of
    :class:`Alignment` in order. ``verify_url`` is the absolute URL the QR code leads to.
    ``logo`` and the signatory images are paths to local image files (read once per process and cached by path).
    """

    holder_name_zh: str
    holder_name_en: str
    school: str
    county: str
    programme_name_zh: str
    programme_name_en: str
    hours: Decimal
    courses: tuple[CourseTitle, ...]
    issued_on: date
    serial: str
    verification_code: str
    public_id: str
    verify_url: str
    organisation_name_zh: str
    organisation_name_en: str
    signatories: tuple[Signatory, ...] = ()
    alignments: tuple[Alignment, ...] = ()
    score: Decimal | None = None
    valid_until: date | None = None
    logo: Path | None = None
    title_zh: str = "專業知能證書"
    title_en: str = "Certificate of Professional Competency"

    def __post_init__(self):
        # Plain tuples are accepted for convenience; normalise them so the renderer can use field names.
        object.__setattr__(self, "courses", tuple(CourseTitle(*course) for course in self.courses))
        object.__setattr__(self, "signatories", tuple(Signatory(*signatory) for signatory in self.signatories))
        object.__setattr__(self, "alignments", tuple(Alignment(*alignment) for alignment in self.alignments))
        object.__setattr__(self, "hours", Decimal(self.hours))
        if self.score is not None:
            object.__setattr__(self, "score", Decimal(self.score))
        if self.valid_until is not None and self.valid_until < self.issued_on:
            raise ValueError("A certificate cannot expire before it is issued.")
