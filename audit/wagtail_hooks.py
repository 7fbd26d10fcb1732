from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import AuditTrailView, may_read_audit_trail

app_name = "audit"
urlpatterns = [
    path("", AuditTrailView.as_view(), name="index"),
    path("results/", AuditTrailView.as_view(results_only=True), name="index_results"),
]


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/", include((urlpatterns, app_name), namespace=app_name))]


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_audit_trail(request.user)


@hooks.register("register_reports_menu_item")
def register_audit_menu_item():
    return AuditMenuItem(_("Audit trail"), reverse("audit:index"), name="audit", icon_name="history", order=900)


@hooks.register("register_permissions")
def register_audit_permissions():
    # Only "view": the add, change and delete permissions exist in Django but no view of ours honours them.
    return Permission.objects.filter(content_type__app_label="audit", codename="view_auditentry")
