"""Archival versions of a certificate's signed PDF: each adds a document timestamp (PAdES B-LTA).

The issued PDF (``Certificate.pdf``, whose SHA-256 the registry and the transparency log keep) is never replaced.
Each archival version is an incremental update of the one before it, so its first ``previous_size`` bytes are
exactly the previous version (the issued PDF for the first): a chain that anyone can check by hashing that prefix
against ``previous_sha256``. Every version verifies as the same certificate, whichever a holder kept.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .certificates import Certificate


class CertificateArchive(models.Model):
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.PROTECT, related_name="archives"
    )
    sequence = models.PositiveIntegerField(_("version"), help_text=_("1 for the first archival timestamp."))
    pdf = models.FileField(_("timestamped PDF"), upload_to="certificates/archives/")
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    previous_sha256 = models.CharField(_("SHA-256 of the version it extends"), max_length=64)
    previous_size = models.PositiveBigIntegerField(_("size of the version it extends (bytes)"))
    timestamped_at = models.DateTimeField(_("timestamped at"))
    tsa_certificate_expires = models.DateTimeField(
        _("timestamp certificate expires"),
        db_index=True,
        help_text=_("The archival timestamp is renewed before this moment."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate archive")
        verbose_name_plural = _("certificate archives")
        ordering = ["certificate", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "sequence"], name="one_archive_per_version"),
        ]

    def __str__(self):
        return f"{self.certificate_id} v{self.sequence}"
