"""Issuing certificates, in two steps that each either happen whole or not at all.

1. :func:`issue_certificate` runs one transaction: it locks the year's :class:`SerialCounter` row, checks that the
   teacher has no current certificate for the programme, takes the next serial and writes a *pending*
   certificate with its snapshot. Every issue in a year waits on that row lock, so serials are unique and
   gap-free, and a concurrent double issue finds the first one's certificate (the ``one_current_certificate``
   constraint backs this up). Rendering is enqueued when the transaction commits.
2. :func:`complete_certificate` (the ``render_and_sign_certificate`` task) renders and signs the PDF, stores it and
   marks the certificate issued, in a transaction that holds the row lock. If anything fails, the file it stored
   is deleted and the certificate stays pending; running it again (``complete_pending_certificates``) completes
   it. There is never an issued row without its file, nor a stored file without its row.

Marking a certificate issued and revoking it each append its row to the transparency log in the same transaction
(:mod:`certification.transparency.log`): a reissue, a renewal or a name correction is the issue of a new certificate.

A pending certificate already holds its serial: its number is never handed out twice and never skipped.
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Site

from accounts.choices import County
from accounts.models import TeacherProfile
from audit.models import Action
from audit.recording import record as audit
from competencies.alignment import frozen_alignments
from courses.alignment import indicators_of_courses
from home.models import OrganisationSettings

from ..codes import format_serial, format_verification_code, new_public_id, new_verification_code
from ..documents.rendering import render_certificate_pdf
from ..documents.signing import sign_certificate_pdf
from ..documents.snapshot import CertificateSnapshot
from ..models import ApprovalRequest, Certificate, CertificationProgramme, SerialCounter
from ..transparency import log as transparency_log
from .eligibility import TeacherRecord
from .notifications import send_certificate_issued, send_certificate_revoked

logger = logging.getLogger(__name__)

# Sent with ``certificate_id=`` once a pending certificate's transaction commits, for whoever renders and signs it
# (``certification.receivers`` queues the ``render_and_sign_certificate`` task): issuing never calls back into tasks.
certificate_pending = Signal()


class IssuingRefused(Exception):
    """A certificate cannot be issued to this teacher (the message says why, for the administrator)."""


def _next_serial(year: int) -> str:
    counter, _created = SerialCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return format_serial(year, counter.last_number)


@dataclass(frozen=True)
class ProgrammeFacts:
    """What every certificate of a programme repeats; a bulk task reads it once for all its certificates."""

    required_keys: frozenset[str]
    course_titles: list[list[str]]
    signatories: list[dict[str, str]]
    alignments: list[list[str]]

    @classmethod
    def load(cls, programme: CertificationProgramme) -> "ProgrammeFacts":
        courses = list(programme.required_courses.all())
        # [zh, en] titles of the required courses, the English one from the page's translation.
        english = (
            {
                page.translation_key: page.title
                for page in type(courses[0]).objects.filter(
                    translation_key__in=[course.translation_key for course in courses], locale__language_code="en"
                )
            }
            if courses
            else {}
        )
        return cls(
            required_keys=frozenset(str(course.translation_key) for course in courses),
            course_titles=[[course.title, english.get(course.translation_key, course.title)] for course in courses],
            signatories=[_frozen_signatory(signatory) for signatory in programme.signatories.all()],
            alignments=frozen_alignments(indicators_of_courses(courses)),
        )


def _frozen_signatory(signatory) -> dict[str, str]:
    """A signatory as certificates keep it; the image is copied under a name made of its SHA-256, so replacing
    or deleting the programme's image leaves the certificates that printed it with theirs."""
    image = ""
    if signatory.image:
        with signatory.image.open("rb") as file:
            data = file.read()
        extension = signatory.image.name.rsplit(".", 1)[-1].lower()
        image = f"certificates/signatories/{hashlib.sha256(data).hexdigest()}.{extension}"
        if not default_storage.exists(image):
            default_storage.save(image, ContentFile(data))
    return {
        "name_zh": signatory.name_zh,
        "name_en": signatory.name_en,
        "title_zh": signatory.title_zh,
        "title_en": signatory.title_en,
        "image": image,
    }


def issue_certificate(
    user,
    programme: CertificationProgramme,
    *,
    origin: str,
    by=None,
    supersedes: Certificate | None = None,
    today: date | None = None,
    facts: ProgrammeFacts | None = None,
    profile: TeacherProfile | None = None,
    record: TeacherRecord | None = None,
    render_later: bool = True,
) -> Certificate:
    """Give ``user`` a certificate of ``programme`` (pending until its PDF is signed), or return the current one.

    ``supersedes`` is the certificate a reissue or renewal replaces; it stays on record, no longer current.
    ``facts``, ``profile`` and ``record`` are read here unless a caller that issues many certificates read them
    for all at once. ``render_later=False`` leaves rendering to the caller, which completes the certificate itself.
    Raises :class:`IssuingRefused` when the teacher's profile has no name to print.
    """
    profile = profile or TeacherProfile.for_user(user)
    if not (profile.name_zh or profile.name_en):
        raise IssuingRefused(_("%(email)s has no name in their profile to print.") % {"email": user.email})
    record = record or TeacherRecord.load(user)
    facts = facts or ProgrammeFacts.load(programme)
    issued_on = today or timezone.localdate()
    with transaction.atomic():
        serial = _next_serial(issued_on.year)
        # Under the counter lock every issue of the year is serialised, so this check cannot race another issue.
        current = (
            Certificate.objects.select_for_update().filter(user=user, programme=programme, is_current=True).first()
        )
        if current is not None and (supersedes is None or current.pk != supersedes.pk):
            transaction.set_rollback(True)
            return current
        if supersedes is not None:
            supersedes.is_current = False
            supersedes.save(update_fields=["is_current"])
        content = {
            "holder_name_zh": profile.name_zh or profile.name_en,
            "holder_name_en": profile.name_en or profile.name_zh,
            "school": profile.school,
            "county": profile.county,
            "programme_name_zh": programme.name_zh,
            "programme_name_en": programme.name_en,
            "hours": record.hours,
            "score": record.score_for(facts.required_keys) if programme.minimum_score is not None else None,
            "courses": facts.course_titles,
            "signatories": facts.signatories,
            "alignments": facts.alignments,
            "valid_until": programme.valid_until(issued_on),
        }
        if origin == Certificate.Origin.CORRECTION and supersedes is not None:
            # A corrected name is no new attainment: the rest says what the old certificate said, valid as long.
            content.update({field: getattr(supersedes, field) for field in Certificate.KEPT_BY_CORRECTION})
        certificate = Certificate.objects.create(
            user=user,
            programme=programme,
            origin=origin,
            public_id=new_public_id(),
            verification_code=new_verification_code(),
            serial=serial,
            issued_on=issued_on,
            supersedes=supersedes,
            issued_by=by,
            **content,
        )
        ApprovalRequest.objects.filter(user=user, programme=programme, status=ApprovalRequest.Status.PENDING).update(
            status=ApprovalRequest.Status.APPROVED, decided_at=timezone.now(), decided_by=by, certificate=certificate
        )
        log(certificate, "certification.issue", user=by, data={"serial": serial, "origin": origin})
        audit(
            Action.CERTIFICATE_REISSUED if supersedes is not None else Action.CERTIFICATE_ISSUED,
            actor=by,
            target=certificate,
            changes={"serial": serial, "origin": origin, "supersedes": supersedes.serial if supersedes else None},
        )
        if supersedes is not None:
            log(supersedes, "certification.supersede", user=by, data={"by": serial})
        if render_later:
            transaction.on_commit(lambda: certificate_pending.send(sender=Certificate, certificate_id=certificate.pk))
    return certificate


def organisation() -> OrganisationSettings:
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return OrganisationSettings.for_site(site) if site else OrganisationSettings()


def verify_url(certificate: Certificate) -> str:
    """The QR code's target: the language-neutral path, which sends each visitor to their own language."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + f"/verify/{certificate.public_id}"


def certificate_snapshot(certificate: Certificate, organisation_settings: OrganisationSettings | None = None):
    """What the PDF and the Open Badges credential say, from the certificate's own frozen fields."""
    organisation_settings = organisation_settings or organisation()
    logo = organisation_settings.logo
    county = County(certificate.county) if certificate.county else None
    programme = certificate.programme
    return CertificateSnapshot(
        holder_name_zh=certificate.holder_name_zh,
        holder_name_en=certificate.holder_name_en,
        school=certificate.school,
        county=_county_label(county),
        programme_name_zh=certificate.programme_name_zh,
        programme_name_en=certificate.programme_name_en,
        hours=certificate.hours,
        score=certificate.score,
        courses=tuple(tuple(course) for course in certificate.courses),
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        serial=certificate.serial,
        verification_code=format_verification_code(certificate.verification_code),
        public_id=certificate.public_id,
        verify_url=verify_url(certificate),
        organisation_name_zh=organisation_settings.name_zh,
        organisation_name_en=organisation_settings.name_en,
        signatories=tuple(
            (
                signatory["name_zh"],
                signatory["name_en"],
                signatory["title_zh"],
                signatory["title_en"],
                _stored_path(signatory["image"]),
            )
            for signatory in certificate.signatories
        ),
        alignments=tuple(tuple(alignment) for alignment in certificate.alignments),
        logo=_local_path(logo.file) if logo else None,
        title_zh=programme.certificate_title_zh,
        title_en=programme.certificate_title_en,
    )


def _county_label(county: County | None) -> str:
    if county is None:
        return ""
    with translation.override("zh-hant"):
        chinese = str(county.label)
    with translation.override("en"):
        english = str(county.label)
    return f"{chinese} {english}" if chinese != english else english


def _local_path(file):
    try:
        return file.path
    except NotImplementedError:  # remote storage: the certificate is drawn without the logo
        return None


def _stored_path(name: str):
    if not name:
        return None
    try:
        return default_storage.path(name)
    except NotImplementedError:  # remote storage, as for the logo
        return None


def certificate_file_name(certificate: Certificate) -> str:
    return f"certificates/{certificate.issued_on.year}/{certificate.serial}-{certificate.public_id}.pdf"


def complete_certificate(
    certificate_id: int,
    *,
    organisation_settings: OrganisationSettings | None = None,
    then: Callable[[Certificate], None] | None = None,
) -> Certificate:
    """Render, sign and store the PDF of a pending certificate and mark it issued; a no-op once it is issued.

    ``then(certificate)`` runs in the same transaction once the certificate is issued, or was already (a bulk item
    records it), so the two rows are written together or not at all.
    """
    stored = None
    try:
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update(of=("self",))
                .select_related("programme", "user", "supersedes")
                .get(pk=certificate_id)
            )
            if certificate.status != Certificate.Status.PENDING:
                if then is not None:
                    then(certificate)
                return certificate
            snapshot = certificate_snapshot(certificate, organisation_settings)
            signed = sign_certificate_pdf(render_certificate_pdf(snapshot))
            name = certificate_file_name(certificate)
            # A previous attempt that died between storing and committing left this exact name behind.
            if default_storage.exists(name):
                default_storage.delete(name)
            stored = default_storage.save(name, ContentFile(signed.data))
            certificate.pdf.name = stored
            certificate.pdf_sha256 = signed.sha256
            certificate.signer_fingerprint = signed.signer_fingerprint
            certificate.pades_level = signed.pades_level
            certificate.long_term_fallback = signed.long_term_fallback
            certificate.status = Certificate.Status.ISSUED
            certificate.signed_at = timezone.now()
            certificate.save()
            transparency_log.append(certificate)
            log(certificate, "certification.sign", data={"sha256": signed.sha256, "pades": signed.pades_level})
            if signed.long_term_fallback:
                logger.info("%s is %s, not B-LT: %s", certificate, signed.pades_level, signed.long_term_fallback)
            if then is not None:
                then(certificate)
            transaction.on_commit(lambda: send_certificate_issued(certificate))
    except BaseException:
        if stored is not None:
            default_storage.delete(stored)
        raise
    return certificate


def issue_and_complete(user, programme, *, organisation_settings=None, then=None, **kwargs) -> Certificate:
    """Issue and, in this process, render and sign at once (bulk tasks, demo content, commands).

    ``then(certificate)`` runs in the transaction that marks the certificate issued, or at once when the teacher
    already held it.
    """
    certificate = issue_certificate(user, programme, render_later=False, **kwargs)
    if certificate.status == Certificate.Status.PENDING:
        return complete_certificate(certificate.pk, organisation_settings=organisation_settings, then=then)
    if then is not None:
        then(certificate)
    return certificate


def revoke_certificate(certificate: Certificate, *, reason: str, by, tell_holder: bool = True) -> Certificate:
    """Revoke a certificate (it stays current, so eligibility does not issue it again); logged, teacher told unless
    ``tell_holder`` is false (a name correction tells them of the whole correction at once)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A revocation needs a reason.")
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status != Certificate.Status.ISSUED:
            raise IssuingRefused(_("Only an issued certificate can be revoked."))
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = by
        certificate.revocation_reason = reason
        certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
        transparency_log.append(certificate)
        log(certificate, "certification.revoke", user=by, data={"reason": reason})
        audit(
            Action.CERTIFICATE_REVOKED,
            actor=by,
            target=certificate,
            changes={"status": [Certificate.Status.ISSUED, Certificate.Status.REVOKED]},
            reason=reason,
        )
        if tell_holder:
            transaction.on_commit(lambda: _notify_revoked(certificate.pk))
    return certificate


def _notify_revoked(certificate_id: int) -> None:
    send_certificate_revoked(Certificate.objects.select_related("user").get(pk=certificate_id))


def reissue_certificate(certificate: Certificate, *, by, origin: str = Certificate.Origin.REISSUE) -> Certificate:
    """A new certificate (new serial, current data) that supersedes ``certificate``; both stay on record."""
    if certificate.status == Certificate.Status.PENDING:
        raise IssuingRefused(_("This certificate is still being issued."))
    if not certificate.is_current:
        raise IssuingRefused(_("This certificate has already been superseded."))
    return issue_certificate(certificate.user, certificate.programme, origin=origin, by=by, supersedes=certificate)


def request_approval(user, programme: CertificationProgramme) -> ApprovalRequest | None:
    """Queue an eligible teacher for an administrator, once; None when a request was already decided against."""
    if ApprovalRequest.objects.filter(user=user, programme=programme, status=ApprovalRequest.Status.REJECTED).exists():
        return None
    try:
        with transaction.atomic():
            request, created = ApprovalRequest.objects.get_or_create(
                user=user, programme=programme, status=ApprovalRequest.Status.PENDING
            )
    except IntegrityError:  # a concurrent evaluation queued the same teacher first
        return ApprovalRequest.objects.get(user=user, programme=programme, status=ApprovalRequest.Status.PENDING)
    if created:
        log(request, "certification.request_approval", data={"programme": programme.slug})
    return request


def approve(request: ApprovalRequest, *, by) -> Certificate:
    certificate = issue_certificate(request.user, request.programme, origin=Certificate.Origin.APPROVAL, by=by)
    log(request, "certification.approve", user=by, data={"serial": certificate.serial})
    audit(Action.CERTIFICATE_APPROVED, actor=by, target=request, changes={"certificate": certificate.serial})
    return certificate


def reject(request: ApprovalRequest, *, by, note: str = "") -> ApprovalRequest:
    request.status = ApprovalRequest.Status.REJECTED
    request.decided_at = timezone.now()
    request.decided_by = by
    request.note = note
    request.save(update_fields=["status", "decided_at", "decided_by", "note"])
    log(request, "certification.reject", user=by, data={"note": note})
    audit(Action.CERTIFICATE_REJECTED, actor=by, target=request, reason=note)
    return request
