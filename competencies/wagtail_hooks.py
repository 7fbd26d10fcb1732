from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, IndexView, SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Area, Framework, FrameworkStatus, FrozenFramework, Indicator


class FrozenDeleteView(DeleteView):
    """Deleting from a published version is refused with a message, not a server error."""

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except FrozenFramework as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.index_url_name)


class FrameworkIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == FrameworkStatus.DRAFT:
            url = reverse("competencies_admin:publish", args=[instance.pk])
            buttons.append(MenuItem(_("Publish this version"), url, icon_name="upload"))
        else:
            url = reverse("competencies_admin:new_version", args=[instance.pk])
            buttons.append(MenuItem(_("Make a new version"), url, icon_name="copy"))
        return buttons


class FrameworkViewSet(SnippetViewSet):
    model = Framework
    icon = "list-ul"
    menu_label = _("Frameworks")
    index_view_class = FrameworkIndexView
    delete_view_class = FrozenDeleteView
    list_display = ["name_zh", "name_en", "slug", "version", "status", "published_at"]
    list_filter = ["status", "slug"]
    search_fields = ["name_zh", "name_en", "slug"]
    search_backend_name = None


class AreaViewSet(SnippetViewSet):
    model = Area
    icon = "folder-open-inverse"
    menu_label = _("Areas")
    delete_view_class = FrozenDeleteView
    list_display = ["code", "name_zh", "name_en", "framework"]
    list_filter = ["framework"]
    search_fields = ["code", "name_zh", "name_en"]
    search_backend_name = None


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "tick"
    menu_label = _("Indicators")
    delete_view_class = FrozenDeleteView
    list_display = ["code", "title_zh", "title_en", "stage", "area"]
    list_filter = ["stage", "area__framework"]
    search_fields = ["code", "title_zh", "title_en"]
    search_backend_name = None
    chooser_per_page = 50

    def get_queryset(self, request):
        return Indicator.objects.with_framework()


class CompetenciesViewSetGroup(SnippetViewSetGroup):
    items = (FrameworkViewSet, AreaViewSet, IndicatorViewSet)
    menu_icon = "tick-inverse"
    menu_label = _("Competencies")
    menu_order = 310


register_snippet(CompetenciesViewSetGroup)

admin_urls = [
    path("frameworks/<int:pk>/publish/", admin_views.publish, name="publish"),
    path("frameworks/<int:pk>/new-version/", admin_views.new_version, name="new_version"),
]


@hooks.register("register_admin_urls")
def register_competencies_admin_urls():
    return [path("competencies/actions/", include((admin_urls, "competencies_admin")))]
