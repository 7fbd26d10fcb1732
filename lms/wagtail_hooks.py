from wagtail import hooks
from wagtail.admin.ui.components import Component

from .antivirus import ping, scanning_enabled


class VirusScanningPanel(Component):
    """On the admin's dashboard: whether uploads are scanned for viruses (``lms.antivirus``)."""

    name = "virus_scanning"
    order = 10
    template_name = "lms/virus_scanning_panel.html"

    def get_context_data(self, parent_context=None):
        enabled = scanning_enabled()
        return {"enabled": enabled, "answering": enabled and ping()}


@hooks.register("construct_homepage_panels")
def add_virus_scanning_panel(request, panels):
    panels.append(VirusScanningPanel())
