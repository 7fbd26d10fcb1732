from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import H5PPackage


class H5PPackageViewSet(SnippetViewSet):
    model = H5PPackage
    icon = "pick"
    menu_label = "H5P"
    list_display = ["title", "main_library", "main_library_version", "created_at"]


register_snippet(H5PPackageViewSet)
