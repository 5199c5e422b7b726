"""Template tags of discovery: related items on call and asset pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from .. import service
from ..local_sources import page_key

register = template.Library()

HEADINGS = {"call": _("Similar calls"), "asset": _("Related assets")}


@register.simple_tag
def related_section(page: Any, size: int = 4) -> dict[str, Any]:
    """Items like ``page`` and of its kind, local and federated: similar calls for a
    call, related assets for an asset. Falls back to the database backend when the
    engine is unreachable; a page that is not indexed (a draft preview) has none."""
    model = getattr(page, "_meta", None)
    kind = {"callpage": "call", "assetpage": "asset"}.get(model.model_name if model else "")
    if kind is None or getattr(page, "uuid", None) is None:
        return {"items": [], "heading": ""}
    return {
        "items": service.related(page_key(page), kind=kind, size=size),
        "heading": HEADINGS[kind],
    }
