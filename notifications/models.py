from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import Delivery, Kind, render_message


class Notification(models.Model):
    """One thing a person was told, shown in their notification centre and, by their choice, e-mailed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # One of kinds.EVENTS; not a choices list, so a new event needs no migration.
    event = models.CharField(_("event"), max_length=32)
    context = models.JSONField(_("context"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    in_app = models.BooleanField(_("shown in the notification centre"), default=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    awaiting_digest = models.BooleanField(_("awaiting the daily digest"), default=False)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # A sender with its own wording for the e-mail (a certificate notice) gives it here; otherwise it is the message.
    email_subject = models.CharField(_("e-mail subject"), max_length=255, blank=True)
    email_body = models.TextField(_("e-mail body"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "in_app", "read_at"], name="notification_unread"),
            models.Index(fields=["awaiting_digest", "recipient"], name="notification_digest"),
        ]

    def __str__(self):
        return self.message

    @property
    def message(self) -> str:
        return render_message(self.event, self.context)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """How one person wants one kind of notification; no row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    in_app = models.BooleanField(_("in the notification centre"), default=True)
    email = models.CharField(_("e-mail"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="unique_notification_preference")]

    def __str__(self):
        return f"{self.user} · {self.kind}"
