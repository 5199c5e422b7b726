"""Interlink's blocks, re-exported at stable import paths (migrations store these paths).

Host sites include ``InterlinkStreamBlock`` in a StreamField to use the whole library::

    body = StreamField(InterlinkStreamBlock(), blank=True)
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .content import CaptionedImageBlock, DataTableBlock, HeadingBlock, ParagraphBlock
from .library import (
    AssetCardBlock,
    CallTeaserBlock,
    CallToActionBlock,
    ContactBlock,
    FAQBlock,
    KeyFigureBlock,
    KeyFiguresBlock,
    PhaseTimelineBlock,
    QuestionBlock,
    ResourceBlock,
    ResourceListBlock,
)
from .schema import (
    CoproductionSchemaBlock,
    ObjectiveBlock,
    PhaseBlock,
    TaskBlock,
    default_schema,
)


class InterlinkStreamBlock(blocks.StreamBlock):
    """All Interlink blocks, for the body of any page."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    table = DataTableBlock()
    call_teaser = CallTeaserBlock()
    asset_card = AssetCardBlock()
    phase_timeline = PhaseTimelineBlock()
    contact = ContactBlock()
    faq = FAQBlock()
    resources = ResourceListBlock()
    key_figures = KeyFiguresBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        description = _("Interlink content blocks")


__all__ = [
    "AssetCardBlock",
    "CallTeaserBlock",
    "CallToActionBlock",
    "CaptionedImageBlock",
    "ContactBlock",
    "CoproductionSchemaBlock",
    "DataTableBlock",
    "FAQBlock",
    "HeadingBlock",
    "InterlinkStreamBlock",
    "KeyFigureBlock",
    "KeyFiguresBlock",
    "ObjectiveBlock",
    "ParagraphBlock",
    "PhaseBlock",
    "PhaseTimelineBlock",
    "QuestionBlock",
    "ResourceBlock",
    "ResourceListBlock",
    "TaskBlock",
    "default_schema",
]
