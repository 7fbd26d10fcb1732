from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from laces.components import Component
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .filters import ReportFilterForm
from .scope import ReportScope
from .statistics import enrolments_and_completions

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("exports/", views.exports, name="exports"),
    path("exports/<slug:slug>.<str:file_format>", views.export, name="export"),
    # No trailing slash: a 404 must stay a 404, not become a redirect to the site's language-prefixed pages.
    path("exports/files/<int:export_id>.xlsx", views.download_export, name="download_export"),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("statistics/", include((urlpatterns, app_name), namespace=app_name))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return ReportScope.allows(request.user)


@hooks.register("register_reports_menu_item")
def register_dashboard_menu_item():
    return ReportMenuItem(
        _("Statistics dashboard"), reverse("reports:dashboard"), name="statistics", icon_name="table", order=100
    )


@hooks.register("register_reports_menu_item")
def register_exports_menu_item():
    return ReportMenuItem(
        _("Reports and exports"), reverse("reports:exports"), name="exports", icon_name="download", order=110
    )


@hooks.register("register_permissions")
def register_report_permissions():
    return Permission.objects.filter(content_type__app_label="reports")


class EnrolmentsPanel(Component):
    """The admin home's chart of the last twelve months' enrolments and completions, for people who see reports."""

    name = "reports_enrolments"
    template_name = "reports/home_panel.html"
    order = 90

    def __init__(self, scope):
        self.scope = scope

    def get_context_data(self, parent_context):
        form = ReportFilterForm({}, scope=self.scope)
        form.is_valid()
        return {"chart": enrolments_and_completions(self.scope, form.filters())}


@hooks.register("construct_homepage_panels")
def add_enrolments_panel(request, panels):
    if ReportScope.allows(request.user):
        panels.append(EnrolmentsPanel(ReportScope.for_user(request.user)))
