"""Certification's models, one module per idea, all importable from ``certification.models`` (app label
``certification``)."""

from .certificates import Certificate, CertificateImmutable, CertificateQuerySet, SerialCounter, certificate_cache_key
from .programmes import CertificationProgramme
from .requests import ApprovalRequest, BulkIssue, BulkIssueItem

__all__ = [
    "ApprovalRequest",
    "BulkIssue",
    "BulkIssueItem",
    "Certificate",
    "CertificateImmutable",
    "CertificateQuerySet",
    "CertificationProgramme",
    "SerialCounter",
    "certificate_cache_key",
]
