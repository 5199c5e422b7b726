"""Index updates: queued durably, applied by a task, retried until the engine answers.

``queue_update`` records one ``PendingUpdate`` per backend (the database fallback and,
when configured, Elasticsearch) and asks the task queue to apply them after the
transaction commits. ``apply_pending`` builds each document at apply time (so the
newest published state wins), writes in bulk, and deletes a row only once its backend
acknowledged it. When a backend is unreachable its rows stay, with the error and an
attempt count, and a deferred retry is scheduled; nothing on the request path waits.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import F

from interlink_blocks import fragments

from .backends import SearchUnavailable, get_backend, index_backends
from .models import PendingUpdate
from .registry import get_source
from .types import Document

logger = logging.getLogger(__name__)

BATCH = 500


def queue_update(source: str, object_pk: object, key: str, action: str) -> None:
    """Record that ``key`` must be upserted or deleted, then schedule the work."""
    for backend in index_backends():
        PendingUpdate.objects.update_or_create(
            backend=backend,
            key=key,
            defaults={
                "source": source,
                "object_pk": str(object_pk),
                "action": action,
                "attempts": 0,
                "last_error": "",
            },
        )
    transaction.on_commit(schedule_apply)


def schedule_apply() -> None:
    """Enqueue the apply task; a failing queue must never break a publish."""
    from .tasks import apply_pending_updates

    try:
        apply_pending_updates.enqueue()
    except Exception:
        logger.exception("Search: could not enqueue index updates; they stay pending")


def _documents_for(rows: list[PendingUpdate]) -> tuple[list[Document], list[str]]:
    upserts: dict[str, Document] = {}
    deletes: list[str] = []
    for row in rows:
        document = None
        if row.action == PendingUpdate.Action.UPSERT:
            try:
                _key, document = get_source(row.source).document_for_pk(row.object_pk)
            except KeyError:
                logger.warning("Search: unknown source %s for %s", row.source, row.key)
        if document is None:
            deletes.append(row.key)
        else:
            upserts[row.key] = document
    return list(upserts.values()), deletes


def apply_pending(backends: list[str] | None = None, limit: int | None = None) -> dict[str, int]:
    """Apply waiting updates; returns counts: applied, failed (still pending)."""
    counts: dict[str, int] = defaultdict(int)
    for name in backends or index_backends():
        backend = get_backend(name)
        done = 0
        while limit is None or done < limit:
            rows = list(PendingUpdate.objects.filter(backend=name)[:BATCH])
            if not rows:
                break
            upserts, deletes = _documents_for(rows)
            try:
                backend.upsert(upserts)
                backend.delete(deletes)
            except SearchUnavailable as exc:
                PendingUpdate.objects.filter(pk__in=[r.pk for r in rows]).update(
                    attempts=F("attempts") + 1, last_error=str(exc)[:2000]
                )
                counts["failed"] += PendingUpdate.objects.filter(backend=name).count()
                logger.warning("Search: %s unavailable, %d updates wait", name, counts["failed"])
                break
            for row in rows:
                # A row updated meanwhile (a newer publish) stays for the next run.
                PendingUpdate.objects.filter(pk=row.pk, updated_at=row.updated_at).delete()
            done += len(rows)
            counts["applied"] += len(rows)
    if counts.get("applied"):
        # Pages cache their "similar calls" / "related assets" sections.
        fragments.invalidate()
    return dict(counts)


def pending_count() -> int:
    return PendingUpdate.objects.count()
