from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ..models import ApprovalRequest, Certificate, CertificationProgramme, NameCorrectionRequest
from ..registry.eligibility import evaluate_all
from . import name_corrections
from . import views as admin_views
from .filters import CertificateFilterSet, search_registry

LOG_ACTIONS = (
    ("certification.issue", _("Issue certificate"), _("Certificate issued")),
    ("certification.sign", _("Sign certificate"), _("Certificate PDF rendered and signed")),
    ("certification.revoke", _("Revoke certificate"), _("Certificate revoked")),
    ("certification.archive", _("Archive certificate"), _("Archival timestamp added to the certificate PDF (B-LTA)")),
    ("certification.supersede", _("Supersede certificate"), _("Certificate superseded by a new one")),
    ("certification.request_approval", _("Request approval"), _("Teacher queued for approval")),
    ("certification.approve", _("Approve"), _("Certificate approved")),
    ("certification.reject", _("Reject"), _("Approval request rejected")),
    ("certification.bulk_issue", _("Bulk issue"), _("Bulk issue started")),
    ("certification.name_correction.request", _("Request a name correction"), _("Name correction requested")),
    ("certification.name_correction.approve", _("Approve a name correction"), _("Name corrected and reissued")),
    ("certification.name_correction.decline", _("Decline a name correction"), _("Name correction declined")),
)


@hooks.register("register_log_actions")
def register_certification_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Rows made only by the domain code (issuing, eligibility), never by an admin form; viewing follows the
    model's view permission, and the actions have their own views and checks."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Certificate, ReadOnlyPermissionPolicy(Certificate), exact_class=True)
register_permission_policy(ApprovalRequest, ReadOnlyPermissionPolicy(ApprovalRequest), exact_class=True)
register_permission_policy(NameCorrectionRequest, ReadOnlyPermissionPolicy(NameCorrectionRequest), exact_class=True)


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("programme")

    def search_queryset(self, queryset):
        return search_registry(queryset, self.search_query)

    @cached_property
    def header_buttons(self):
        query = self.request.GET.urlencode()
        suffix = f"?{query}" if query else ""
        user = self.request.user
        buttons = [
            HeaderButton(_("Export CSV"), reverse("certification_admin:export_csv") + suffix, icon_name="download"),
            HeaderButton(_("Zip of PDFs"), reverse("certification_admin:export_zip") + suffix, icon_name="doc-full"),
        ]
        if user.has_perm("certification.add_certificate"):
            buttons += [
                HeaderButton(_("Issue"), url=reverse("certification_admin:issue"), icon_name="plus"),
                HeaderButton(_("Bulk issue"), url=reverse("certification_admin:bulk_issue"), icon_name="table"),
            ]
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        user = self.request.user
        if instance.status == Certificate.Status.ISSUED and user.has_perm("certification.change_certificate"):
            buttons.append(
                MenuItem(_("Revoke"), reverse("certification_admin:revoke", args=[instance.pk]), icon_name="cross")
            )
        if instance.is_current and instance.status != Certificate.Status.PENDING:
            if user.has_perm("certification.add_certificate"):
                url = reverse("certification_admin:reissue", args=[instance.pk])
                buttons.append(MenuItem(_("Reissue"), url, icon_name="redirect"))
        if instance.pdf:
            buttons.append(MenuItem(_("Download PDF"), instance.pdf.url, icon_name="download"))
        buttons.append(MenuItem(_("Verification page"), instance.verify_path, icon_name="link-external"))
        return buttons


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full-inverse"
    menu_label = _("Registry")
    url_prefix = "certification/certificates"
    name = "certification_certificate"
    # No create or edit view is reachable (see the permission policy); the form is never shown.
    form_fields = ["revocation_reason"]
    index_view_class = CertificateIndexView
    filterset_class = CertificateFilterSet
    search_fields = ["serial", "holder_name_zh", "holder_name_en"]
    search_backend_name = None
    list_display = [
        "serial",
        "holder_name_zh",
        "holder_name_en",
        Column("programme_name_zh", label=_("Programme")),
        Column("public_status", label=_("Status")),
        "county",
        "issued_on",
        "valid_until",
    ]
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields = [
        "serial",
        "status",
        "origin",
        "holder_name_zh",
        "holder_name_en",
        "school",
        "county",
        "programme_name_zh",
        "programme_name_en",
        "hours",
        "score",
        "issued_on",
        "valid_until",
        "verification_code",
        "public_id",
        "pdf_sha256",
        "signer_fingerprint",
        "pades_level",
        "long_term_fallback",
        "supersedes",
        "issued_by",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
    ]


class ApprovalIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "programme")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == ApprovalRequest.Status.PENDING:
            url = reverse("certification_admin:review_request", args=[instance.pk])
            buttons.append(MenuItem(_("Review"), url, icon_name="tick"))
        return buttons


class ApprovalRequestViewSet(ModelViewSet):
    model = ApprovalRequest
    icon = "tasks"
    menu_label = _("Approval queue")
    url_prefix = "certification/approvals"
    name = "certification_approvalrequest"
    form_fields = ["note"]
    index_view_class = ApprovalIndexView
    list_display = ["user", "programme", "status", "requested_at", "decided_by"]
    list_filter = ["status", "programme"]
    search_fields = ["user__email"]
    search_backend_name = None
    inspect_view_enabled = True


class NameCorrectionIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "decided_by")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.user_id != self.request.user.pk:
            url = reverse("certification_admin:review_name_correction", args=[instance.pk])
            label = _("Review") if instance.status == NameCorrectionRequest.Status.PENDING else _("Details")
            buttons.append(MenuItem(label, url, icon_name="tick"))
        return buttons


class NameCorrectionRequestViewSet(ModelViewSet):
    model = NameCorrectionRequest
    icon = "user"
    menu_label = _("Name corrections")
    url_prefix = "certification/name-corrections"
    name = "certification_namecorrectionrequest"
    # No create or edit view is reachable (see the permission policy); decisions have their own view.
    form_fields = ["decision_reason"]
    index_view_class = NameCorrectionIndexView
    list_display = [
        "user",
        "printed_name_zh",
        "name_zh",
        "printed_name_en",
        "name_en",
        "status",
        "requested_at",
        "decided_by",
    ]
    list_filter = ["status"]
    search_fields = ["user__email", "printed_name_zh", "printed_name_en", "name_zh", "name_en"]
    search_backend_name = None


class CertificationProgrammeViewSet(ModelViewSet):
    model = CertificationProgramme
    icon = "pick"
    url_prefix = "certification/programmes"
    name = "certification_programme"
    menu_label = _("Programmes")
    list_display = ["name_zh", "name_en", "issue_mode", "validity_years", "is_active"]
    list_filter = ["issue_mode", "is_active"]
    search_fields = ["name_zh", "name_en"]


class CertificationViewSetGroup(ViewSetGroup):
    menu_label = _("Certification")
    menu_icon = "doc-full-inverse"
    menu_order = 250
    items = (CertificateViewSet, ApprovalRequestViewSet, NameCorrectionRequestViewSet, CertificationProgrammeViewSet)


@hooks.register("register_admin_viewset")
def register_certification_viewsets():
    return CertificationViewSetGroup()


admin_urls = [
    path("issue/", admin_views.issue, name="issue"),
    path("bulk/", admin_views.bulk_issue, name="bulk_issue"),
    path("bulk/<int:pk>/", admin_views.bulk_progress, name="bulk_progress"),
    path("certificates/<int:pk>/revoke/", admin_views.revoke, name="revoke"),
    path("certificates/<int:pk>/reissue/", admin_views.reissue, name="reissue"),
    path("approvals/<int:pk>/review/", admin_views.review_request, name="review_request"),
    path("name-corrections/<int:pk>/review/", name_corrections.review_name_correction, name="review_name_correction"),
    path(
        "name-corrections/<int:pk>/evidence/",
        name_corrections.name_correction_evidence,
        name="name_correction_evidence",
    ),
    path("export.csv", admin_views.export_csv, name="export_csv"),
    path("certificates.zip", admin_views.export_zip, name="export_zip"),
]


@hooks.register("register_admin_urls")
def register_certification_admin_urls():
    return [path("certification/actions/", include((admin_urls, "certification_admin")))]


@hooks.register("learner_dashboard_panels")
def eligibility_checklists_panel(request):
    """The teacher's checklist of what is left for each programme, on the My learning dashboard."""
    return render_to_string(
        "certification/includes/eligibility_checklists.html",
        {"eligibilities": evaluate_all(request.user)},
        request=request,
    )
