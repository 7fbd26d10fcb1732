from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit trail. It knows no app of ours but the ground floor: callers hand it the actor and the target."""

    name = "audit"
    verbose_name = _("Audit trail")
