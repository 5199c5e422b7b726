"""Signal wiring: what changes queue an index update.

How pages reach the index, decided once: **only** through Wagtail's
``page_published`` / ``page_unpublished`` signals and the page's ``post_delete``, into
the pending-update queue. Saving a draft changes nothing in the index, and
Interlink's index is independent of Wagtail's own search index
(``WAGTAILSEARCH_BACKENDS``, used by the admin's page search), which we never feed.
Registered models (the federated catalogue) use ``post_save`` / ``post_delete``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from .indexing import queue_update
from .models import PendingUpdate
from .registry import Source, source_for_instance


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


def _on_page_published(sender: type, instance: Any, **kwargs: Any) -> None:
    _on_save(sender, instance.specific)


def _on_page_unpublished(sender: type, instance: Any, **kwargs: Any) -> None:
    _on_delete(sender, instance.specific)


def connect_pages(models: list[type[Model]]) -> None:
    for model in models:
        name = model._meta.label_lower
        page_published.connect(_on_page_published, sender=model, dispatch_uid=f"search:{name}:pub")
        page_unpublished.connect(
            _on_page_unpublished, sender=model, dispatch_uid=f"search:{name}:unpub"
        )
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"search:{name}:delete")
