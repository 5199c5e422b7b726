"""The portable body: StreamField data without node-local ids, and back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wagtail import blocks

from .terms import MetadataError, file_url


def walk_stream(
    block: blocks.Block,
    raw: Any,
    on_chooser: Callable[[blocks.ChooserBlock, Any], Any],
    on_rich_text: Callable[[Any], Any],
) -> Any:
    """Rebuild a StreamField's raw JSON, letting callbacks replace node-local values.

    Chooser values (page, image and document ids) mean nothing on another node and
    rich text holds ``linktype`` references by id, so export swaps them for URLs and
    import swaps them back. Unknown block types are dropped: a block another node's
    code does not know cannot be edited here. Raises ``MetadataError`` on a shape that
    does not match the block definition.
    """
    if isinstance(block, blocks.ChooserBlock):
        return on_chooser(block, raw)
    if isinstance(block, blocks.RichTextBlock):
        if raw is not None and not isinstance(raw, str):
            raise MetadataError("rich text must be a string")
        return on_rich_text(raw or "")
    if isinstance(block, blocks.StreamBlock):
        if not isinstance(raw, list):
            raise MetadataError("a stream must be a list of blocks")
        items = []
        for item in raw:
            if not isinstance(item, dict) or item.get("type") not in block.child_blocks:
                continue
            child = block.child_blocks[item["type"]]
            value = walk_stream(child, item.get("value"), on_chooser, on_rich_text)
            items.append({"type": item["type"], "value": value, "id": item.get("id")})
        return items
    if isinstance(block, blocks.ListBlock):
        if not isinstance(raw, list):
            raise MetadataError("a list block must be a list")
        result = []
        for item in raw:
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
                value = walk_stream(block.child_block, item["value"], on_chooser, on_rich_text)
                result.append({"type": "item", "value": value, "id": item.get("id")})
            else:
                result.append(walk_stream(block.child_block, item, on_chooser, on_rich_text))
        return result
    if isinstance(block, blocks.StructBlock):
        if not isinstance(raw, dict):
            raise MetadataError("a struct block must be an object")
        return {
            name: walk_stream(child, raw.get(name), on_chooser, on_rich_text)
            for name, child in block.child_blocks.items()
            if name in raw
        }
    return raw


def exported_body(page, base_url: str) -> list:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page
    from wagtail.rich_text import expand_db_html

    def on_chooser(block, value):
        if value in (None, ""):
            return None
        model = block.target_model
        obj = model._default_manager.filter(pk=value).first()
        if obj is None:
            return None
        if issubclass(model, get_image_model()):
            return {"interlink:ref": "image", "url": file_url(obj, base_url), "title": obj.title}
        if issubclass(model, get_document_model()):
            return {"interlink:ref": "document", "url": file_url(obj, base_url), "title": obj.title}
        if issubclass(model, Page):
            url = obj.specific.get_full_url() if obj.live else None
            return {"interlink:ref": "page", "url": url, "title": obj.title}
        return None

    def on_rich_text(html):
        # Front-end HTML with absolute links: readable anywhere, ids gone.
        expanded = expand_db_html(html)
        return expanded.replace('href="/', f'href="{base_url.rstrip("/")}/')

    body_field = page._meta.get_field("body")
    return walk_stream(
        body_field.stream_block, page.body.get_prep_value(), on_chooser, on_rich_text
    )
