"""Signal wiring: what changes queue an index update.

How pages reach the index, decided once: through Wagtail's ``page_published`` /
``page_unpublished`` signals and the page's ``post_delete``, into the pending-update
queue, plus the changes that alter a published page's document without publishing it:

- ``post_page_move`` (Wagtail's "page moved" signal) and ``page_slug_changed``: the URL
  of the page and of every page below it changed;
- a ``PageViewRestriction`` saved or deleted: the page and everything below it became
  private (and must leave the index) or public again (and come back, if live);
- a ``Site`` saved: its name is the municipality of every page under its root; a new
  root page takes the old tree out of the site (its pages have no public URL any more)
  and the new one in; a ``Site`` deleted takes its tree out;
- any of these on one copy of a translated page: its other copies' ``hidden_in``
  (which copy a search in each language shows) changes, so they are queued too.

Each queues an *upsert* by key; the document is built when the update is applied, and
a page that is no longer live and public builds none, which deletes it. Saving a draft
changes nothing in the index, and Interlink's index is independent of Wagtail's own
search index (``WAGTAILSEARCH_BACKENDS``, used by the admin's page search), which we
never feed. Registered models (the federated catalogue) use ``post_save`` /
``post_delete``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .indexing import queue_update, queue_updates
from .models import PendingUpdate
from .registry import Source, source_for_instance

_page_models: list[type[Model]] = []


def _on_save(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # fixtures being loaded
        return
    source = source_for_instance(instance)
    if source is not None:
        queue_update(source.name, instance.pk, source.key(instance), PendingUpdate.Action.UPSERT)


def _on_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    source = source_for_instance(instance)
    if source is not None:
        queue_update(source.name, instance.pk, source.key(instance), PendingUpdate.Action.DELETE)


def _uid(source: Source) -> str:
    return f"search:{source.name}"


def connect_source(source: Source) -> None:
    post_save.connect(_on_save, sender=source.model, dispatch_uid=_uid(source) + ":save")
    post_delete.connect(_on_delete, sender=source.model, dispatch_uid=_uid(source) + ":delete")


def disconnect_source(source: Source) -> None:
    post_save.disconnect(sender=source.model, dispatch_uid=_uid(source) + ":save")
    post_delete.disconnect(sender=source.model, dispatch_uid=_uid(source) + ":delete")


# Pages -------------------------------------------------------------------------


def queue_pages(pages: Iterable[Any], exclude: Iterable[int] = ()) -> None:
    """Queue an upsert of each searchable page and of its other-language copies."""
    skip = set(exclude)
    pages = list(pages)
    keys = {page.translation_key for page in pages}
    pages = [page for page in pages if page.pk not in skip]
    for model in _page_models:
        pages += list(model.objects.filter(translation_key__in=keys).exclude(pk__in=skip))  # type: ignore[attr-defined]
    updates = []
    for page in pages:
        source = source_for_instance(page)
        if source is not None:
            updates.append((source.name, page.pk, source.key(page), PendingUpdate.Action.UPSERT))
    queue_updates(updates)


def _searchable_under(page: Page) -> list[Any]:
    """``page`` and the call and asset pages below it, as their specific models."""
    found: list[Any] = []
    for model in _page_models:
        found += list(model.objects.descendant_of(page, inclusive=True))  # type: ignore[attr-defined]
    return found


def _on_page_published(sender: type, instance: Any, **kwargs: Any) -> None:
    queue_pages([instance.specific])


def _on_page_unpublished(sender: type, instance: Any, **kwargs: Any) -> None:
    _on_delete(sender, instance.specific)
    queue_pages([instance.specific], exclude=[instance.pk])


def _on_page_deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    _on_delete(sender, instance)
    queue_pages([instance], exclude=[instance.pk])


def _on_page_moved(
    sender: type, instance: Any, url_path_before: str = "", url_path_after: str = "", **kwargs: Any
) -> None:
    """A moved page and everything below it have new URLs (and may have moved into or
    out of a private section)."""
    if url_path_before and url_path_before == url_path_after:
        return  # reordered among its siblings: nothing a document holds changed
    queue_pages(_searchable_under(instance))


def _on_slug_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """A published slug change changes the URLs of every page below, too."""
    queue_pages(_searchable_under(instance))


def _on_restriction_changed(sender: type, instance: PageViewRestriction, **kwargs: Any) -> None:
    """Made private: the page and everything below it leave the index; made public
    again: they come back (the documents decide, built when the updates apply)."""
    try:
        page = Page.objects.get(pk=instance.page_id)
    except Page.DoesNotExist:  # the page itself is being deleted
        return
    queue_pages(_searchable_under(page))


_PREVIOUS_ROOT = "_search_previous_root_page_id"


def _on_site_saving(sender: type, instance: Site, raw: bool = False, **kwargs: Any) -> None:
    """Remembers the root page the site had, to requeue that tree if the root changes."""
    if raw or instance.pk is None:
        return
    previous = Site.objects.filter(pk=instance.pk).values_list("root_page_id", flat=True).first()
    setattr(instance, _PREVIOUS_ROOT, previous)


def _queue_trees(root_ids: Iterable[int | None]) -> None:
    for root in Page.objects.filter(pk__in={pk for pk in root_ids if pk is not None}):
        queue_pages(_searchable_under(root))


def _on_site_saved(sender: type, instance: Site, raw: bool = False, **kwargs: Any) -> None:
    """The site's name is the municipality of its pages' documents; a new root page moves
    one tree out of the site and another in."""
    if raw:
        return
    _queue_trees([instance.root_page_id, getattr(instance, _PREVIOUS_ROOT, None)])


def _on_site_deleted(sender: type, instance: Site, **kwargs: Any) -> None:
    _queue_trees([instance.root_page_id])


def connect_pages(models: list[type[Model]]) -> None:
    _page_models[:] = models
    for model in models:
        name = model._meta.label_lower
        page_published.connect(_on_page_published, sender=model, dispatch_uid=f"search:{name}:pub")
        page_unpublished.connect(
            _on_page_unpublished, sender=model, dispatch_uid=f"search:{name}:unpub"
        )
        post_delete.connect(_on_page_deleted, sender=model, dispatch_uid=f"search:{name}:delete")
    # Moves and slug changes are announced for the page's own class, which may be any
    # page type with calls or assets below it: listen to every sender.
    post_page_move.connect(_on_page_moved, dispatch_uid="search:pages:moved")
    page_slug_changed.connect(_on_slug_changed, dispatch_uid="search:pages:slug")
    post_save.connect(
        _on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search:restriction:save"
    )
    post_delete.connect(
        _on_restriction_changed,
        sender=PageViewRestriction,
        dispatch_uid="search:restriction:delete",
    )
    pre_save.connect(_on_site_saving, sender=Site, dispatch_uid="search:site:saving")
    post_save.connect(_on_site_saved, sender=Site, dispatch_uid="search:site:save")
    post_delete.connect(_on_site_deleted, sender=Site, dispatch_uid="search:site:delete")
