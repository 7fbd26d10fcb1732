from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from home.blocks import RICH_TEXT_FEATURES, CaptionedImageBlock, ResourceBlock, VideoBlock


class H5PBlock(blocks.StructBlock):
    package = SnippetChooserBlock("courses.H5PPackage", label=_("H5P package"))
    title = blocks.CharBlock(label=_("Title"), required=False, help_text=_("Shown above the activity."))

    class Meta:
        icon = "pick"
        label = _("H5P activity")
        template = "courses/blocks/h5p_block.html"


class ModuleStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", template="blocks/heading_block.html")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock()
    video = VideoBlock()
    h5p = H5PBlock()
    resource = ResourceBlock()
