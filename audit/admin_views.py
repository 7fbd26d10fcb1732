"""The audit trail in the Wagtail admin: a read-only listing with search, filters and a streamed CSV export.

There is no create, edit or delete view, and the model is registered nowhere else (not as a snippet, not in the
Django admin), so no admin screen can change a row. Wagtail's own log entries (``Reports › Site history``) keep
covering what Wagtail itself logs: edits of pages, snippets (the privacy notice and terms included), images,
documents, users and groups. This trail records the privileged actions on people and certificates, which happen
outside Wagtail's editing views and must outlive the accounts they name.
"""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from .models import Action, AuditEntry

VIEW_PERMISSION = "audit.view_auditentry"


def may_read_audit_trail(user):
    return user.is_active and user.has_perm(VIEW_PERMISSION)


class AuditEntryFilterSet(WagtailFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    action = django_filters.ChoiceFilter(label=_("Action"), choices=Action.choices)
    actor = django_filters.CharFilter(label=_("Who"), method="filter_actor")
    at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    target_type = django_filters.ModelChoiceFilter(
        label=_("Target type"),
        queryset=lambda request: ContentType.objects.filter(
            pk__in=AuditEntry.objects.exclude(target_type=None).values("target_type")
        ).order_by("app_label", "model"),
    )
    target = django_filters.CharFilter(label=_("Target"), method="filter_target")

    class Meta:
        model = AuditEntry
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(actor_label__icontains=value)
            | Q(target_label__icontains=value)
            | Q(reason__icontains=value)
            | Q(ip_address__startswith=value)
        )

    def filter_actor(self, queryset, name, value):
        return queryset.filter(actor_label__icontains=value)

    def filter_target(self, queryset, name, value):
        return queryset.filter(Q(target_label__icontains=value) | Q(target_id=value))


class AuditTrailView(ReportView):
    page_title = _("Audit trail")
    header_icon = "history"
    model = AuditEntry
    filterset_class = AuditEntryFilterSet
    index_url_name = "audit:index"
    index_results_url_name = "audit:index_results"
    permission_required = "view"
    paginate_by = 50
    columns = [
        DateColumn("at", label=_("When")),
        Column("actor_label", label=_("Who")),
        Column("ip_address", label=_("From address")),
        Column("action", label=_("Action"), accessor="get_action_display"),
        Column("target_label", label=_("Target")),
        Column("changes_text", label=_("What changed"), accessor="changes"),
        Column("reason", label=_("Reason")),
    ]
    list_export = [
        "at",
        "actor_label",
        "actor_id",
        "ip_address",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "changes",
        "reason",
    ]
    export_headings = {
        "at": _("When"),
        "actor_label": _("Who"),
        "actor_id": _("User id"),
        "ip_address": _("From address"),
        "action": _("Action"),
        "target_type": _("Target type"),
        "target_id": _("Target id"),
        "target_label": _("Target"),
        "changes": _("What changed"),
        "reason": _("Reason"),
    }

    def user_has_permission(self, permission):
        return may_read_audit_trail(self.request.user)

    def get_base_queryset(self):
        return AuditEntry.objects.select_related("target_type")

    def get_filename(self):
        return "audit-trail"

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["action"] = item.get_action_display()
        row["target_type"] = item.target_type.model if item.target_type else ""
        return row
