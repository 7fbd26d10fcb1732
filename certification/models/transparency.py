"""The transparency log's storage: entries as appended, the perfect subtrees of the Merkle tree over them, and
the signed tree heads. Rows are only ever added; a later row never changes an earlier one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TransparencyLog(models.Model):
    """The log's one row: its size. Appending locks it, so leaves are numbered without gaps or repeats."""

    size = models.PositiveBigIntegerField(_("size"), default=0)

    class Meta:
        verbose_name = _("transparency log")
        verbose_name_plural = _("transparency log")

    def __str__(self):
        return str(self.size)


class LogEntry(models.Model):
    """One leaf: the canonical JSON of a certificate's registry row at an issue or a revocation."""

    class Event(models.TextChoices):
        ISSUE = "issue", _("Issued")
        REVOKE = "revoke", _("Revoked")

    index = models.PositiveBigIntegerField(_("leaf index"), primary_key=True)
    event = models.CharField(_("event"), max_length=10, choices=Event.choices)
    # No foreign key: the log must outlive a registry row deleted behind its back, to report it.
    serial = models.CharField(_("serial number"), max_length=20)
    public_id = models.CharField(_("public id"), max_length=32, db_index=True)
    entry = models.TextField(_("entry"))
    appended_at = models.DateTimeField(_("appended at"), auto_now_add=True)

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["index"]
        # A certificate's latest entry below a tree size (its inclusion proof) is one index probe, whatever the
        # planner's statistics say: on serial alone PostgreSQL may walk the leaf index backwards instead.
        indexes = [models.Index(fields=["serial", "index"], name="log_entry_serial_index")]

    def __str__(self):
        return f"{self.index}: {self.serial} {self.event}"


class LogNode(models.Model):
    """The hash of a perfect subtree: ``2**level`` leaves from ``position * 2**level`` (level 0 is a leaf)."""

    level = models.PositiveSmallIntegerField(_("level"))
    position = models.PositiveBigIntegerField(_("position"))
    hash = models.BinaryField(_("hash"), max_length=32)

    class Meta:
        verbose_name = _("log node")
        verbose_name_plural = _("log nodes")
        constraints = [models.UniqueConstraint(fields=["level", "position"], name="one_log_node_per_place")]

    def __str__(self):
        return f"{self.level}/{self.position}"


class TreeHead(models.Model):
    """A signed tree head: the log's size and root at a moment, signed with the log's own key."""

    tree_size = models.PositiveBigIntegerField(_("tree size"))
    root_hash = models.BinaryField(_("root hash"), max_length=32)
    timestamp = models.PositiveBigIntegerField(_("timestamp (ms since 1970)"))
    signature = models.BinaryField(_("signature"), max_length=64)

    class Meta:
        verbose_name = _("signed tree head")
        verbose_name_plural = _("signed tree heads")
        indexes = [models.Index(fields=["tree_size"])]

    def __str__(self):
        return f"{self.tree_size} @ {self.timestamp}"
