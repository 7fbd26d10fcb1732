"""Certification's part of a person's data: their certificates (with the signed PDFs) and approval requests.

After a deletion the certificates stay: a certificate is a public statement the platform signed, which schools and
employers verify by its code or its PDF, and the transparency log holds each row's entry, which the row must keep
matching. So the row keeps what the certificate says, exactly as printed and signed, and the stored PDF; it stays
linked to the account's erased remainder (no name, no e-mail, no sign-in), never to anything else of the person.
Approval requests, name correction requests (with their evidence) and the person's place in bulk issues go.
"""

from django.utils.translation import gettext_lazy as _

from privacy.registry import Attachment, Part
from privacy.tables import delete_rows, table

from .models import ApprovalRequest, BulkIssueItem, Certificate, NameCorrectionRequest


def export(user):
    certificates = Certificate.objects.filter(user=user)
    yield table("certificates", certificates, user)
    yield table("approval_requests", ApprovalRequest.objects.filter(user=user), user)
    corrections = NameCorrectionRequest.objects.filter(user=user)
    yield table("name_correction_requests", corrections, user)
    for correction in corrections.order_by("pk"):
        if correction.evidence:
            yield Attachment(
                f"name_corrections/{correction.pk}-{correction.evidence.name.rsplit('/', 1)[-1]}", correction.evidence
            )
    for certificate in certificates.order_by("pk"):
        if certificate.pdf:
            yield Attachment(f"certificates/{certificate.serial}.pdf", certificate.pdf)


def erase(user):
    corrections = NameCorrectionRequest.objects.filter(user=user)
    for correction in corrections.exclude(evidence=""):
        correction.evidence.delete(save=False)
    counts = delete_rows(ApprovalRequest.objects.filter(user=user), corrections)
    unnamed = BulkIssueItem.objects.filter(user=user).update(user=None, requested_as="")
    if unnamed:
        counts["certification.BulkIssueItem (unnamed)"] = unnamed
    return counts


PART = Part(
    app="certification",
    export=export,
    erase=erase,
    kept=_(
        "Your issued certificates stay in the public registry so that anyone can still verify them: the serial "
        "number and verification code, your names, school and county as printed, the programme, hours, score and "
        "courses as printed, the dates, the status, and the signed PDF with its hash. The public transparency log "
        "keeps the same entries."
    ),
)
