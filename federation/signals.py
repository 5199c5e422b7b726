"""Wiring from Wagtail's page lifecycle to publishing (connected in ``apps.ready``).

Publishing and unpublishing are Wagtail's signals; privacy is not: Wagtail's privacy
dialog creates and deletes ``PageViewRestriction`` rows (for a page and, through it, its
whole subtree), and moving a page can put it under (or take it out of) a private section.
Those changes are followed here too, so a page that becomes private is deleted remotely at
once, not at its next publish.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import publishing, serialisers

logger = logging.getLogger(__name__)


def _federated_page(instance: Any) -> Any | None:
    page = instance
    if type(page) is Page:
        page = page.specific_deferred
    return page if isinstance(page, serialisers.federated_models()) else None


def _federated_subtree(root: Page) -> list[Any]:
    """The calls, assets and stories at or below ``root`` (their privacy follows root's)."""
    pages: list[Any] = []
    for model in serialisers.federated_models():
        pages.extend(model.objects.descendant_of(root, inclusive=True).order_by("path"))
    return pages


def sync_subtree(root: Page) -> None:
    for page in _federated_subtree(root):
        publishing.sync_visibility(page)


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


def _deleting_pages(origin: Any) -> bool:
    """Whether a restriction goes because its page is being deleted (the page's own
    ``pre_delete`` has sent the Delete already; the subtree must not be re-published)."""
    if isinstance(origin, Page):
        return True
    return isinstance(origin, QuerySet) and issubclass(origin.model, Page)


def on_restriction_saved(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        sync_subtree(page)


def on_restriction_deleted(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    if _deleting_pages(kwargs.get("origin")):
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        sync_subtree(page)


def on_moved(
    sender: Any, instance: Any, parent_page_before: Page | None = None, **kwargs: Any
) -> None:
    page = Page.objects.filter(pk=instance.pk).first()  # the new path, not a stale copy
    if page is None:
        return
    subtree = _federated_subtree(page)
    if parent_page_before is not None:
        publishing.moved_out_of_site(subtree, parent_page_before)
    for moved in subtree:
        publishing.sync_visibility(moved)


def connect() -> None:
    page_published.connect(on_published, dispatch_uid="federation_page_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="federation_page_unpublished")
    pre_delete.connect(on_deleted, dispatch_uid="federation_page_deleted")
    post_save.connect(
        on_restriction_saved,
        sender=PageViewRestriction,
        dispatch_uid="federation_restriction_saved",
    )
    post_delete.connect(
        on_restriction_deleted,
        sender=PageViewRestriction,
        dispatch_uid="federation_restriction_deleted",
    )
    post_page_move.connect(on_moved, dispatch_uid="federation_page_moved")
