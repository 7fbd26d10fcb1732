"""A certificate as an Open Badges 3.0 credential (signed VC-JWT), and its public revocation status."""

from django.urls import reverse

from ..models import Certificate
from ..registry.issuing import certificate_snapshot
from .open_badges import build_open_badge_credential, canonical_url, sign_credential


def status_url(certificate: Certificate) -> str:
    return canonical_url(reverse("credentials:status", kwargs={"public_id": certificate.public_id}))


def open_badge_jwt(certificate: Certificate) -> str:
    """The signed VC-JWT of an issued certificate; its ids are the stable, language-neutral public URLs."""
    credential = build_open_badge_credential(
        certificate_snapshot(certificate),
        credential_id=canonical_url(f"/verify/{certificate.public_id}"),
        achievement_id=canonical_url(f"/programmes/{certificate.programme.slug}/"),
        status_url=status_url(certificate),
    )
    return sign_credential(credential)


def credential_status(certificate: Certificate) -> dict:
    """What a verifier fetching ``credentialStatus.id`` learns: revoked or not, and since when."""
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
    return status
