"""StreamField blocks shared by every page type."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(label=_("Alternative text"), help_text=_("Describe the image for screen readers."))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/captioned_image_block.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Video URL"))
    title = blocks.CharBlock(label=_("Title"), help_text=_("Names the video for screen readers."))
    transcript = blocks.RichTextBlock(label=_("Transcript"), required=False, features=["bold", "italic", "link"])

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video_block.html"


class ResourceBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Downloadable resource")
        template = "blocks/resource_block.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    text = blocks.TextBlock(label=_("Text"), required=False)
    page = blocks.PageChooserBlock(label=_("Page"))
    button_label = blocks.CharBlock(label=_("Button label"))

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "blocks/call_to_action_block.html"


RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "blockquote"]


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks every content page can use."""

    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", template="blocks/heading_block.html")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock()
    video = VideoBlock()
    resource = ResourceBlock()
    call_to_action = CallToActionBlock()
