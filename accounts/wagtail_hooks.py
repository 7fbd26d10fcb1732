from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import PolicyVersion
from .privilege_audit import record_user_bulk_action


class PolicyVersionViewSet(SnippetViewSet):
    """Administrators edit the privacy notice and terms; each edit is in Wagtail's history (its log entries)."""

    model = PolicyVersion
    icon = "doc-full"
    menu_label = _("Privacy notice and terms")
    list_display = ["version", "in_force_from", "created_at"]
    add_to_admin_menu = False


register_snippet(PolicyVersionViewSet)


hooks.register("after_bulk_action", record_user_bulk_action)
