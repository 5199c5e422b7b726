"""Basic content blocks that follow Wagtail's accessibility guidance.

Headings are limited to h2–h4 (the page title is the only h1), images carry alt text
inline, and tables have a caption and header cells.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import (
    TypedTableBlock,
    TypedTableBlockValidationError,
)
from wagtail.images.blocks import ImageBlock
from wagtail.rich_text import expand_db_html

from .examples import example_image


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
        return self.normalize(
            {"image": example_image(), "caption": "The riverside park as residents drew it"}
        )

    class Meta:
        icon = "image"
        template = "interlink_blocks/blocks/image.html"
        preview_template = "interlink_blocks/blocks/preview.html"
        description = _("An image with alternative text and an optional caption.")


class DataTableBlock(TypedTableBlock):
    """A table of plain text and numbers with a required caption and column headings.

    The caption names the table and column headings label its cells for screen-reader
    users (Wagtail's accessibility guidance); like other required values, both are
    checked on publishing, not on "Save draft".
    """

    def __init__(self, **kwargs):
        super().__init__(
            [
                ("text", blocks.CharBlock()),
                ("number", blocks.DecimalBlock()),
            ],
            **kwargs,
        )

    def clean(self, value):
        table, cell_errors = None, None
        try:
            table = super().clean(value)
        except TypedTableBlockValidationError as error:
            cell_errors = error.cell_errors
        errors = []
        if not self.is_deferred_validation:
            if not (value.caption or "").strip():
                errors.append(
                    ValidationError(_("Give the table a caption that says what it shows."))
                )
            if any(not (column.get("heading") or "").strip() for column in value.columns):
                errors.append(ValidationError(_("Give every column a heading.")))
        if cell_errors or errors:
            raise TypedTableBlockValidationError(cell_errors=cell_errors, non_block_errors=errors)
        return table

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

    def get_api_representation(self, value, context=None):
        # HTML with internal links expanded, not Wagtail's stored <a linktype="page" id=…>.
        return expand_db_html(value.source)

    class Meta:
        icon = "pilcrow"
        template = "interlink_blocks/blocks/paragraph.html"
        preview_template = "interlink_blocks/blocks/preview.html"
        preview_value = (
            "<p>Residents, local businesses and city staff are invited to shape how the "
            "neighbourhood's new services will work.</p>"
        )
        description = _("Formatted text: paragraphs, lists, links and quotes.")
