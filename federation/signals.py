"""Wiring from Wagtail's page lifecycle to publishing (connected in ``apps.ready``)."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models.signals import pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from . import publishing

logger = logging.getLogger(__name__)


def _federated_page(instance: Any) -> Any | None:
    from interlink_blocks.models import AssetPage, CallPage

    page = instance
    if type(page) is Page:
        page = page.specific_deferred
    return page if isinstance(page, CallPage | AssetPage) else None


def on_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    page = _federated_page(instance)
    if page is not None:
        publishing.page_published(page)


def on_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    page = _federated_page(instance)
    if page is not None:
        publishing.page_removed(page)


def on_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    page = _federated_page(instance)
    if page is not None:
        publishing.page_removed(page)


def connect() -> None:
    page_published.connect(on_published, dispatch_uid="federation_page_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="federation_page_unpublished")
    pre_delete.connect(on_deleted, dispatch_uid="federation_page_deleted")
