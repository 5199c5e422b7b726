"""Local calls and assets as search sources (registered by ``SearchConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .documents import page_document
from .registry import register_source
from .signals import connect_pages
from .types import Document


def page_key(page: Any) -> str:
    return f"page:{page.uuid}"


def indexable_page_document(page: Any) -> Document | None:
    """Live pages without view restrictions, under a site's root: search never leaks
    private pages, nor lists pages no site serves (they have no public URL)."""
    if not page.live or page.get_view_restrictions().exists() or page.get_site() is None:
        return None
    return page_document(page)


def register_local_sources() -> None:
    from interlink_blocks.models import AssetPage, CallPage

    def live_calls() -> QuerySet:
        return CallPage.objects.live().public().order_by("pk")

    def live_assets() -> QuerySet:
        return AssetPage.objects.live().public().order_by("pk")

    for name, model, queryset in (
        ("interlink.calls", CallPage, live_calls),
        ("interlink.assets", AssetPage, live_assets),
    ):
        register_source(
            model,
            name=name,
            key=page_key,
            to_document=indexable_page_document,
            queryset=queryset,
            connect_signals=False,
        )
    connect_pages([CallPage, AssetPage])
