"""Wagtail wiring: the public routes, content negotiation on public pages and the
Federation admin menu."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.cache import patch_vary_headers
from wagtail import hooks

from . import serialisers
from .actors import get_local_actor
from .admin import FederationViewSetGroup, admin_urls
from .publishing import is_public
from .views.negotiation import activity_response, wants_activity_json


@hooks.register("register_interlink_urls")
def register_public_urls() -> list[Any]:
    """WebFinger, NodeInfo, the actor and its collections, the inboxes and the catalogue
    pages, routed by the core's one include (``interlink_blocks.urls``)."""
    return [path("", include("interlink_federation.urls"))]


@hooks.register("before_serve_page")
def serve_activitystreams(
    page: Any, request: HttpRequest, args: Any, kwargs: Any
) -> HttpResponse | None:
    """Public call and asset URLs answer with their AS object when asked for it."""
    if not wants_activity_json(request) or not is_public(page):
        return None
    site = page.get_site()
    if site is None:
        return None
    document = serialisers.page_to_ap(page.specific, get_local_actor(site))
    if document is None:
        return None
    return activity_response(request, document)


ServePage = Callable[[Any, HttpRequest, Any, Any], HttpResponse]


@hooks.register("on_serve_page")
def vary_on_accept(next_serve: ServePage) -> ServePage:
    """Call and asset URLs answer HTML or their AS object depending on ``Accept``, so their
    HTML answers say ``Vary: Accept`` too (a cache must not hand the HTML to a server that
    asked for ActivityStreams, or the reverse)."""

    def serve(page: Any, request: HttpRequest, args: Any, kwargs: Any) -> HttpResponse:
        response = next_serve(page, request, args, kwargs)
        if serialisers.federates(page):
            patch_vary_headers(response, ["Accept"])
        return response

    return serve


@hooks.register("register_admin_viewset")
def register_federation_menu() -> FederationViewSetGroup:
    return FederationViewSetGroup()


@hooks.register("register_admin_urls")
def register_federation_urls() -> list[Any]:
    return admin_urls()
