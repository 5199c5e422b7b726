"""Discovery's contributions to Interlink pages and routes, through the core's hooks
(sections: ``interlink_blocks.templatetags.interlink_sections``; routes and the API
schema: ``interlink_blocks.urls``): the core never imports search."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import include, path
from wagtail import hooks

from interlink_blocks import fragments

from .api import add_to_openapi_schema
from .templatetags.interlink_search_tags import related_section

# The discovery API in the core's OpenAPI schema.
hooks.register("interlink_openapi_endpoints", add_to_openapi_schema)


@hooks.register("register_interlink_urls")
def register_public_urls() -> list[Any]:
    """The discovery page, its suggestions and the discovery API."""
    return [path("", include("interlink_search.urls"))]


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
