"""Certification's models, one module per idea, all importable from ``certification.models`` (app label
``certification``)."""

from .archives import CertificateArchive
from .certificates import Certificate, CertificateImmutable, CertificateQuerySet, SerialCounter, certificate_cache_key
from .programmes import CertificationProgramme, ModuleRequirement, ProgrammeSignatory
from .requests import ApprovalRequest, BulkIssue, BulkIssueItem, NameCorrectionRequest
from .transparency import LogEntry, LogNode, TransparencyLog, TreeHead

__all__ = [
    "ApprovalRequest",
    "BulkIssue",
    "BulkIssueItem",
    "Certificate",
    "CertificateArchive",
    "CertificateImmutable",
    "CertificateQuerySet",
    "CertificationProgramme",
    "ModuleRequirement",
    "NameCorrectionRequest",
    "ProgrammeSignatory",
    "SerialCounter",
    "LogEntry",
    "LogNode",
    "TransparencyLog",
    "TreeHead",
    "certificate_cache_key",
]
