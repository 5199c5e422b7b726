"""Basic content blocks that follow Wagtail's accessibility guidance.

Headings are limited to h2–h4 (the page title is the only h1), images carry alt text
inline, and tables have a caption and header cells.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading at level 2, 3 or 4."""

    text = blocks.CharBlock(max_length=160, label=_("Text"))
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Level 2")), ("h3", _("Level 3")), ("h4", _("Level 4"))],
        default="h2",
        label=_("Level"),
    )

    class Meta:
        icon = "title"
        template = "interlink_blocks/blocks/heading.html"
        preview_template = "interlink_blocks/blocks/preview.html"
        preview_value = {"text": "How the new service will work", "level": "h2"}
        description = _("A section heading (levels 2 to 4 keep the page outline correct).")


class CaptionedImageBlock(blocks.StructBlock):
    """An image with alt text (or marked decorative) and an optional caption."""

    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(required=False, max_length=250, label=_("Caption"))

    def get_api_representation(self, value, context=None):
        data = super().get_api_representation(value, context)
        image = value["image"]
        data["image"] = {
            "id": image.id,
            "title": image.title,
            "alt": "" if image.decorative else image.contextual_alt_text,
        }
        return data

    def get_preview_value(self):
        from wagtail.images import get_image_model

        image = get_image_model().objects.order_by("-created_at").first()
        if image is not None:
            image.contextual_alt_text, image.decorative = image.title, False
        return self.normalize({"image": image, "caption": ""})

    class Meta:
        icon = "image"
        template = "interlink_blocks/blocks/image.html"
        preview_template = "interlink_blocks/blocks/preview.html"
        description = _("An image with alternative text and an optional caption.")


class DataTableBlock(TypedTableBlock):
    """A table of plain text and numbers; captions and header cells are set in the editor."""

    def __init__(self, **kwargs):
        super().__init__(
            [
                ("text", blocks.CharBlock()),
                ("number", blocks.DecimalBlock()),
            ],
            **kwargs,
        )

    class Meta:
        icon = "table"
        template = "interlink_blocks/blocks/table.html"
        preview_template = "interlink_blocks/blocks/preview.html"
        preview_value = {
            "caption": "Budget per district",
            "columns": [
                {"type": "text", "heading": "District"},
                {"type": "text", "heading": "Budget"},
            ],
            "rows": [{"values": ["Centro", "€180,000"]}, {"values": ["Riva Est", "€300,000"]}],
        }
        description = _("A data table with a caption and header cells.")


class ParagraphBlock(blocks.RichTextBlock):
    """Body text without headings (use the heading block) or embedded media."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "features", ["bold", "italic", "link", "document-link", "ol", "ul", "blockquote"]
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "interlink_blocks/blocks/paragraph.html"
        preview_template = "interlink_blocks/blocks/preview.html"
        preview_value = (
            "<p>Residents, local businesses and city staff are invited to shape how the "
            "neighbourhood's new services will work.</p>"
        )
        description = _("Formatted text: paragraphs, lists, links and quotes.")
