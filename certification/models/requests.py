"""What waits for an administrator: approval requests, bulk issues with one item per teacher, and requests to
correct the name certificates print."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .certificates import Certificate
from .programmes import CertificationProgramme


class ApprovalRequest(models.Model):
    """A teacher who is eligible for a programme issued only after an administrator approves."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="+"
    )
    programme = models.ForeignKey(
        CertificationProgramme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="approval_requests"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"], condition=Q(status="pending"), name="one_pending_approval"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.programme}"


class BulkIssue(models.Model):
    """A batch of certificates an administrator asked for at once; each item is issued by its own task."""

    programme = models.ForeignKey(
        CertificationProgramme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bulk issue")
        verbose_name_plural = _("bulk issues")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.programme} · {self.created_at:%Y-%m-%d %H:%M}"

    def progress(self) -> dict[str, int]:
        counts = dict(self.items.values_list("status").annotate(total=models.Count("pk")).order_by())
        return {
            "issued": counts.get(BulkIssueItem.Status.ISSUED, 0),
            "failed": counts.get(BulkIssueItem.Status.FAILED, 0),
            "left": counts.get(BulkIssueItem.Status.WAITING, 0),
            "total": sum(counts.values()),
        }


class BulkIssueItem(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        ISSUED = "issued", _("Issued")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(BulkIssue, verbose_name=_("bulk issue"), on_delete=models.CASCADE, related_name="items")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("teacher"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    requested_as = models.CharField(_("requested as"), max_length=254, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    message = models.CharField(_("message"), max_length=255, blank=True)
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bulk issue item")
        verbose_name_plural = _("bulk issue items")
        indexes = [models.Index(fields=["batch", "status"])]

    def __str__(self):
        return f"{self.batch} · {self.requested_as}"


def name_correction_evidence_path(instance, filename):
    # A random folder per file: evidence is identity papers, never found by guessing a name.
    return f"name-corrections/{secrets.token_hex(16)}/{filename}"


class NameCorrectionRequest(models.Model):
    """A holder asks for the name their certificates print to be corrected; a certification administrator approves
    (the certificates are reissued with the new name, the old ones revoked) or declines, with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.CASCADE,
        related_name="name_correction_requests",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    printed_name_zh = models.CharField(_("printed name in Chinese"), max_length=50)
    printed_name_en = models.CharField(_("printed name in English"), max_length=100)
    name_zh = models.CharField(_("corrected name in Chinese"), max_length=50)
    name_en = models.CharField(_("corrected name in English"), max_length=100)
    reason = models.TextField(_("reason"), max_length=1000)
    evidence = models.FileField(_("evidence"), upload_to=name_correction_evidence_path, blank=True, max_length=255)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    reissued = models.JSONField(
        _("reissued certificates"), default=list, blank=True, help_text=_("[[old serial, new serial]]")
    )

    class Meta:
        verbose_name = _("name correction request")
        verbose_name_plural = _("name correction requests")
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(status="pending"), name="one_pending_name_correction")
        ]

    def __str__(self):
        return f"{self.printed_name_zh} / {self.printed_name_en} → {self.name_zh} / {self.name_en}"

    @property
    def changes(self) -> dict[str, list[str]]:
        """The names that change, as ``{"name_zh": [printed, corrected]}``."""
        pairs = {"name_zh": (self.printed_name_zh, self.name_zh), "name_en": (self.printed_name_en, self.name_en)}
        return {field: [before, after] for field, (before, after) in pairs.items() if before != after}
