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
        # The player reads the models, which import these blocks: read when a block is rendered.
        from .h5p.player import player_context

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
            context["player"] = player_context(request, page, package)
        return context


class ModuleStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", template="blocks/heading_block.html")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock()
    video = VideoBlock()
    h5p = H5PBlock()
    resource = ResourceBlock()
