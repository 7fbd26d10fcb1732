"""A certificate as an Open Badges 3.0 credential (signed VC-JWT), and its public revocation status."""

from django.urls import reverse

from ..models import Certificate
from ..registry.issuing import certificate_snapshot
from ..transparency.log import inclusion_for
from .open_badges import build_open_badge_credential, canonical_url, sign_credential
from .status_list import credential_status_entry


def status_url(certificate: Certificate) -> str:
    return canonical_url(reverse("credentials:status", kwargs={"public_id": certificate.public_id}))


def open_badge_jwt(certificate: Certificate) -> str:
    """The signed VC-JWT of an issued certificate; its ids are the stable, language-neutral public URLs."""
    credential = build_open_badge_credential(
        certificate_snapshot(certificate),
        credential_id=canonical_url(f"/verify/{certificate.public_id}"),
        achievement_id=canonical_url(f"/programmes/{certificate.programme.slug}/"),
        credential_status=credential_status_entry(certificate),
    )
    return sign_credential(credential)


def credential_status(certificate: Certificate) -> dict:
    """The human-readable status of one credential (the published format is the status list): revoked or not,
    since when and why, and the proof that the registry row behind it is in the public transparency log."""
    revoked = certificate.status == Certificate.Status.REVOKED
    status = {
        "id": status_url(certificate),
        "credential": canonical_url(f"/verify/{certificate.public_id}"),
        "status": certificate.public_status,
        "revoked": revoked,
    }
    if revoked:
        status["revokedAt"] = certificate.revoked_at.isoformat()
        status["reason"] = certificate.revocation_reason
    inclusion = inclusion_for(certificate)
    if inclusion is not None:
        status["transparencyLog"] = {"signedTreeHead": canonical_url(reverse("transparency:sth")), **inclusion}
    return status
