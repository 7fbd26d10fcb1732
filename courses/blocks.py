from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from core.blocks import RICH_TEXT_FEATURES, CaptionedImageBlock, ResourceBlock, VideoBlock


class H5PBlock(blocks.StructBlock):
    """An H5P package played in place by h5p-standalone, its statements sent to the xAPI endpoint.

    The template gets ``player`` (``courses.h5p.player.player_context``) when the page is a saved module that
    the user may see; otherwise it shows the title and a notice, and loads nothing.
    """

    package = SnippetChooserBlock("courses.H5PPackage", label=_("H5P package"))
    title = blocks.CharBlock(label=_("Title"), required=False, help_text=_("Shown above the activity."))

    class Meta:
        icon = "pick"
        label = _("H5P activity")
        template = "courses/blocks/h5p_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        page = (parent_context or {}).get("page")
        package = value.get("package")
        if (
            request is not None
            and package is not None
            and getattr(page, "pk", None)
            and hasattr(page, "is_visible_to")
            and page.is_visible_to(request.user)
        ):
            context["player"] = self.player(request, page, package)
        return context

    def player(self, request, page, package):
        # The player reads the models, which import these blocks: read when a block is rendered.
        from .h5p.player import player_context

        return player_context(request, page, package)


class ScormBlock(H5PBlock):
    """A SCORM 1.2 or 2004 package played in place by scorm-again, its CMI data committed to our endpoint.

    The template gets ``player`` (``courses.scorm.player.player_context``) as the H5P block does.
    """

    package = SnippetChooserBlock("courses.ScormPackage", label=_("SCORM package"))
    title = blocks.CharBlock(label=_("Title"), required=False, help_text=_("Shown above the package."))

    class Meta:
        icon = "media"
        label = _("SCORM package")
        template = "courses/blocks/scorm_block.html"

    def player(self, request, page, package):
        # The player reads the models, which import these blocks: read when a block is rendered.
        from .scorm.player import player_context

        return player_context(request, page, package)


class ModuleStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", template="blocks/heading_block.html")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock()
    video = VideoBlock()
    h5p = H5PBlock()
    scorm = ScormBlock()
    resource = ResourceBlock()


# The one instance module pages use, so that apps above courses can add their kinds of content to it.
MODULE_CONTENT = ModuleStreamBlock()


def register_module_block(name, block):
    """Offer ``block`` in module bodies under ``name``; called from an app's ``ready()`` (assessments adds quizzes).

    Courses keeps no list of who registers: the app that owns the block imports courses, never the reverse.
    """
    block.set_name(name)
    MODULE_CONTENT.child_blocks[name] = block
