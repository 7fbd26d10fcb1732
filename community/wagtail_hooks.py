from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Expert


class ExpertViewSet(SnippetViewSet):
    model = Expert
    icon = "user"
    menu_label = _("Experts")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name_zh", "name_en", "organisation_zh", "is_listed", "user", "updated_at"]
    list_filter = ["is_listed"]
    search_fields = ["name_zh", "name_en", "organisation_zh", "organisation_en", "bio_zh", "bio_en"]


register_snippet(ExpertViewSet)
