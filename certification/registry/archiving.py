"""Keeping issued certificates verifiable for decades: archival timestamps (PAdES B-LTA).

:func:`certificates_due` lists the issued (or revoked) certificates whose newest document has no archival
timestamp yet, or one whose time-stamping authority's certificate expires within ``CERTIFICATE_ARCHIVE_RENEW_BEFORE``
(days, default 365). :func:`archive_certificate` adds one timestamp to one certificate's newest document
(:func:`certification.documents.long_term.add_archival_timestamp`) and stores the result as a new
:class:`~certification.models.CertificateArchive` version; the issued PDF and its registered SHA-256 never change.

Each certificate is stamped in its own transaction, under a row lock that other workers skip (PostgreSQL), and
checked again under the lock, so the scheduled command (``timestamp_certificate_archives``) is idempotent and can
run in parallel, be interrupted and resume: what is done is in the database, what is not is due the next time.
"""

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from wagtail.log_actions import log

from ..documents.long_term import add_archival_timestamp
from ..models import Certificate, CertificateArchive

DEFAULT_RENEW_BEFORE_DAYS = 365


class ArchiveRefused(Exception):
    """A certificate's stored document cannot be extended (missing, or not the bytes the registry recorded)."""


def renew_before() -> timedelta:
    return timedelta(days=int(getattr(settings, "CERTIFICATE_ARCHIVE_RENEW_BEFORE", DEFAULT_RENEW_BEFORE_DAYS)))


def certificates_due(now: datetime | None = None):
    """Issued or revoked certificates with a signed PDF whose newest version needs an archival timestamp."""
    deadline = (now or timezone.now()) + renew_before()
    return (
        Certificate.objects.issued()
        .exclude(pdf="")
        .annotate(archive_expires=Max("archives__tsa_certificate_expires"))
        .filter(Q(archive_expires__isnull=True) | Q(archive_expires__lt=deadline))
    )


def archive_file_name(certificate: Certificate, sequence: int) -> str:
    year, serial, public_id = certificate.issued_on.year, certificate.serial, certificate.public_id
    return f"certificates/archives/{year}/{serial}-{public_id}-v{sequence}.pdf"


def _read(name: str) -> bytes:
    if not name or not default_storage.exists(name):
        raise ArchiveRefused(f"its stored PDF {name or '(none)'} is missing")
    with default_storage.open(name) as file:
        return file.read()


def archive_certificate(certificate_id: int, now: datetime | None = None) -> CertificateArchive | None:
    """Add an archival timestamp to the certificate's newest document; None when it is not due (any more) or
    another worker holds it. Raises :class:`ArchiveRefused` for a missing or altered stored file, and the
    time-stamping authority's or revocation fetching's errors; nothing is stored then."""
    now = now or timezone.now()
    stored = None
    try:
        with transaction.atomic():
            certificate = (
                Certificate.objects.issued()
                .exclude(pdf="")
                .select_for_update(skip_locked=True)
                .filter(pk=certificate_id)
            ).first()
            if certificate is None:
                return None
            previous = certificate.archives.order_by("-sequence").first()
            if previous is not None and previous.tsa_certificate_expires >= now + renew_before():
                return None
            if previous is None:
                name, expected = certificate.pdf.name, certificate.pdf_sha256
            else:
                name, expected = previous.pdf.name, previous.sha256
            data = _read(name)
            if hashlib.sha256(data).hexdigest() != expected:
                raise ArchiveRefused(f"its stored PDF {name} is not the file the registry recorded")
            archived = add_archival_timestamp(data)
            if not archived.data.startswith(data):
                raise ArchiveRefused("the timestamped document does not extend the stored one")
            sequence = previous.sequence + 1 if previous else 1
            file_name = archive_file_name(certificate, sequence)
            # A previous attempt that died between storing and committing left this exact name behind.
            if default_storage.exists(file_name):
                default_storage.delete(file_name)
            stored = default_storage.save(file_name, ContentFile(archived.data))
            archive = CertificateArchive.objects.create(
                certificate=certificate,
                sequence=sequence,
                pdf=stored,
                sha256=hashlib.sha256(archived.data).hexdigest(),
                previous_sha256=expected,
                previous_size=len(data),
                timestamped_at=archived.timestamped_at,
                tsa_certificate_expires=archived.tsa_certificate_expires,
            )
            log(certificate, "certification.archive", data={"sha256": archive.sha256, "version": sequence})
    except BaseException:
        if stored is not None:
            default_storage.delete(stored)
        raise
    return archive
