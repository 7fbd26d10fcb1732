from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .alignment import indicators_covered_by
from .h5p.admin import H5PPackageCreateView, H5PPackageForm
from .models import CoursePage, H5PPackage, ScormPackage
from .scorm.admin import ScormPackageForm


class H5PPackageViewSet(SnippetViewSet):
    """Trainers upload, list and delete H5P packages here (the Trainers group holds the permissions)."""

    model = H5PPackage
    icon = "pick"
    menu_label = "H5P"
    add_to_admin_menu = True
    add_view_class = H5PPackageCreateView
    list_display = ["title", "main_library", "main_library_version", "licence", "file_count", "created_at"]
    list_filter = ["main_library"]
    search_fields = ["title", "main_library"]
    edit_handler = ObjectList(
        [
            FieldPanel("package_file"),
            FieldPanel("title"),
            MultiFieldPanel(
                [
                    FieldPanel("main_library", read_only=True),
                    FieldPanel("main_library_version", read_only=True),
                    FieldPanel("licence", read_only=True),
                    FieldPanel("language", read_only=True),
                    FieldPanel("size_bytes", read_only=True),
                    FieldPanel("file_count", read_only=True),
                    FieldPanel("original_filename", read_only=True),
                ],
                heading=_("Read from the package"),
            ),
        ],
        base_form_class=H5PPackageForm,
    )


register_snippet(H5PPackageViewSet)


class ScormPackageViewSet(SnippetViewSet):
    """Trainers upload, list and delete SCORM packages beside H5P's (the Trainers group holds the permissions)."""

    model = ScormPackage
    icon = "media"
    menu_label = "SCORM"
    add_to_admin_menu = True
    # Shows a rejected package's problem on the file field (ScormPackageError is a PackageError).
    add_view_class = H5PPackageCreateView
    list_display = ["title", "version", "file_count", "created_at"]
    list_filter = ["version"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            FieldPanel("package_file"),
            FieldPanel("title"),
            MultiFieldPanel(
                [
                    FieldPanel("version", read_only=True),
                    FieldPanel("identifier", read_only=True),
                    FieldPanel("size_bytes", read_only=True),
                    FieldPanel("file_count", read_only=True),
                    FieldPanel("original_filename", read_only=True),
                ],
                heading=_("Read from the package"),
            ),
        ],
        base_form_class=ScormPackageForm,
    )


register_snippet(ScormPackageViewSet)


@hooks.register("home_page_featured_courses")
def newest_courses(home_page):
    """The newest live courses in the home page's language."""
    return CoursePage.objects.live().public().filter(locale=home_page.locale).order_by("-first_published_at")[:3]


@hooks.register("learner_dashboard_panels")
def competencies_panel(request):
    """The competency indicators the learner's completed courses and modules cover, by framework and area.

    Cached with the dashboard: completing work replaces the learner's token, realigning a page is a publish and a
    framework version published or retired replaces the site's (``courses.learner_cache``)."""
    indicators = list(indicators_covered_by(request.user))
    return render_to_string(
        "courses/includes/dashboard_competencies.html", {"indicators": indicators}, request=request
    )
