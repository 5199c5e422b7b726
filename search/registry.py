"""Sources of searchable objects: local pages and whatever other apps register.

``federation`` registers its catalogue here (``federation/search_source.py``) so that
``search`` indexes remote items without importing ``federation`` and ``federation``
depends on ``search`` only when it is installed::

    from interlink_search.registry import register_source
    register_source(RemoteObject, name="federation.remote", key=..., to_document=...)

Registered models get ``post_save``/``post_delete`` receivers that queue index
updates; local pages instead follow Wagtail's publish/unpublish/delete signals and the
changes that alter a published page's document (moves, view restrictions, site names;
see ``interlink_search.signals``), so a page reaches the index once per publication, not per save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from .types import Document


@dataclass(frozen=True)
class Source:
    name: str
    model: type[models.Model]
    key: Callable[[Any], str]
    # The document, or None when the object must not be searchable (draft, deleted).
    to_document: Callable[[Any], Document | None]
    queryset: Callable[[], models.QuerySet]

    def document_for_pk(self, pk: str) -> tuple[str | None, Document | None]:
        """(key, document) of an object by primary key; (None, None) if it is gone."""
        obj = self.queryset().filter(pk=pk).first()
        if obj is None:
            return None, None
        return self.key(obj), self.to_document(obj)


_sources: dict[str, Source] = {}


def register_source(
    model: type[models.Model],
    *,
    name: str,
    key: Callable[[Any], str],
    to_document: Callable[[Any], Document | None],
    queryset: Callable[[], models.QuerySet] | None = None,
    connect_signals: bool = True,
) -> Source:
    """Make ``model`` searchable; idempotent per ``name`` (app reloads, tests)."""
    source = Source(
        name=name,
        model=model,
        key=key,
        to_document=to_document,
        queryset=queryset or model._default_manager.all,
    )
    _sources[name] = source
    if connect_signals:
        from .signals import connect_source

        connect_source(source)
    return source


def unregister_source(name: str) -> None:
    source = _sources.pop(name, None)
    if source is not None:
        from .signals import disconnect_source

        disconnect_source(source)


def get_source(name: str) -> Source:
    return _sources[name]


def sources() -> list[Source]:
    return list(_sources.values())


def source_for_instance(instance: models.Model) -> Source | None:
    for source in _sources.values():
        if isinstance(instance, source.model):
            return source
    return None
