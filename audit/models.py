"""The audit entry: who did what to whom, when, from where, what changed and why. Never changed, never deleted.

The refusals live in three places so that no ordinary path gets through: the model (``save`` of an existing row,
``delete``), its query set (``update``, ``delete``, ``bulk_update``) and, on PostgreSQL, a trigger that raises on
``UPDATE`` and ``DELETE`` (migration 0002; SQLite gets the ``UPDATE`` trigger only, because the test runner's flush
empties tables with ``DELETE``).

The actor and the target are kept twice: as a reference (to filter by) and as a label copied at the time (to read
when the person or the object is gone). The actor reference has no database constraint and is never cascaded, so
deleting an account leaves its audit rows untouched and readable.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntryImmutable(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class Action(models.TextChoices):
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    CERTIFICATE_APPROVED = "certificate_approved", _("Certificate approved")
    CERTIFICATE_REJECTED = "certificate_rejected", _("Certificate request rejected")
    CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
    CERTIFICATE_REISSUED = "certificate_reissued", _("Certificate reissued")
    BULK_ISSUE = "bulk_issue", _("Bulk issue")
    BULK_OPERATION = "bulk_operation", _("Bulk operation")
    NAME_CORRECTED = "name_corrected", _("Name corrected")
    NAME_CORRECTION_DECLINED = "name_correction_declined", _("Name correction declined")
    ATTENDANCE_CHANGED = "attendance_changed", _("Attendance changed")
    GRADE_CHANGED = "grade_changed", _("Grade changed")
    REGRADED = "regraded", _("Regraded")
    ROLE_CHANGED = "role_changed", _("Role changed")
    PERMISSIONS_CHANGED = "permissions_changed", _("Permissions changed")
    MFA_RESET = "mfa_reset", _("Two-factor authentication reset")
    DATA_EXPORTED = "data_exported", _("Data exported")
    ACCOUNT_DELETED = "account_deleted", _("Account deleted")
    LEARNER_RECORD_VIEWED = "learner_record_viewed", _("Learner record opened")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditEntryImmutable("audit entries cannot be changed")

    def delete(self):
        raise AuditEntryImmutable("audit entries cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditEntryImmutable("audit entries cannot be changed")

    def update_or_create(self, *args, **kwargs):
        raise AuditEntryImmutable("audit entries cannot be changed")

    delete.queryset_only = True


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=300, blank=True, editable=False)
    ip_address = models.CharField(_("from address"), max_length=64, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True, editable=False)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("target type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True, editable=False)
    target_label = models.CharField(_("target"), max_length=300, blank=True, editable=False)
    changes = models.JSONField(_("what changed"), default=dict, blank=True, editable=False)
    reason = models.TextField(_("reason"), blank=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        # Django's own paths (related lookups, cascades) use the base manager: it refuses changes too.
        base_manager_name = "objects"
        indexes = [models.Index(fields=["target_type", "target_id"]), models.Index(fields=["actor", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()} {self.target_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditEntryImmutable("audit entries cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryImmutable("audit entries cannot be deleted")
