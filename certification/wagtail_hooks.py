from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CertificationProgramme

LOG_ACTIONS = (
    ("certification.issue", _("Issue certificate"), _("Certificate issued")),
    ("certification.sign", _("Sign certificate"), _("Certificate PDF rendered and signed")),
    ("certification.revoke", _("Revoke certificate"), _("Certificate revoked")),
    ("certification.supersede", _("Supersede certificate"), _("Certificate superseded by a new one")),
    ("certification.request_approval", _("Request approval"), _("Teacher queued for approval")),
    ("certification.approve", _("Approve"), _("Certificate approved")),
    ("certification.reject", _("Reject"), _("Approval request rejected")),
    ("certification.bulk_issue", _("Bulk issue"), _("Bulk issue started")),
)


@hooks.register("register_log_actions")
def register_certification_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


class CertificationProgrammeViewSet(SnippetViewSet):
    model = CertificationProgramme
    icon = "pick"
    menu_label = _("Programmes")
    list_display = ["name_zh", "name_en", "issue_mode", "validity_years", "is_active"]
    list_filter = ["issue_mode", "is_active"]
    search_fields = ["name_zh", "name_en"]
    add_to_admin_menu = True
    menu_order = 250


register_snippet(CertificationProgrammeViewSet)
