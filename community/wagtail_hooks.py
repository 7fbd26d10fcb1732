from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .directory import qualifying_certificates
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


@hooks.register("teacher_profile_links")
def expert_directory_link(request):
    """Teachers who hold an Advanced certificate are invited, from their profile, into the expert directory."""
    if not qualifying_certificates(request.user):
        return None
    listed = Expert.objects.filter(user=request.user).exists()
    return {
        "title": _("International-education expert directory"),
        "text": _("Your Advanced certificate lets you offer your experience to other schools as an expert."),
        "url": reverse("community:expert_opt_in"),
        "label": _("Edit your directory entry") if listed else _("List yourself in the directory"),
    }
