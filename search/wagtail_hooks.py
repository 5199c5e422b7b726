"""Discovery's contributions to Interlink pages, through the core's section hooks
(``interlink_blocks.templatetags.interlink_sections``): the core never imports search."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from wagtail import hooks

from interlink_blocks import fragments

from .templatetags.interlink_search_tags import related_section


def _render_related(request: HttpRequest | None, page: Any) -> str:
    def render() -> str:
        related = related_section(page)
        if not related["items"]:
            return ""
        return render_to_string(
            "interlink_search/includes/related.html", {"related": related}, request
        )

    # The same for every visitor; applying index updates starts a new fragment generation.
    return fragments.cached_html(request, page, "related", render)


@hooks.register("interlink_call_page_sections")
def similar_calls(request: HttpRequest | None, page: Any) -> str:
    return _render_related(request, page)


@hooks.register("interlink_asset_page_sections")
def related_assets(request: HttpRequest | None, page: Any) -> str:
    return _render_related(request, page)
