"""Index updates: queued durably, applied by a task, retried until the engine answers.

``queue_update`` records one ``PendingUpdate`` per backend (the database fallback and,
when configured, Elasticsearch) and asks the task queue to apply them after the
transaction commits. ``apply_pending`` builds each document at apply time (so the
newest published state wins), writes in bulk, and deletes a row only once its backend
acknowledged it. When a backend is unreachable its rows stay, with the error and an
attempt count, and a deferred retry is scheduled; nothing on the request path waits.

A document that cannot be built (a malformed remote object, a bug) must not hold up
the others: its row is marked ``invalid`` with the error, logged, and counted; the
object's next change queues it afresh, and ``reindex --pending`` retries it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

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
    queue_updates([(source, object_pk, key, action)])


def queue_updates(updates: Iterable[tuple[str, object, str, str]]) -> None:
    """``queue_update`` for many (source, object pk, key, action) at once (a moved
    section, a renamed site): one upsert statement per backend."""
    latest = {key: (source, pk, action) for source, pk, key, action in updates}
    if not latest:
        return
    rows = [
        PendingUpdate(
            backend=backend,
            key=key,
            source=source,
            object_pk=str(pk),
            action=action,
            state=PendingUpdate.State.PENDING,
            attempts=0,
            last_error="",
        )
        for backend in index_backends()
        for key, (source, pk, action) in latest.items()
    ]
    with transaction.atomic():
        for start in range(0, len(rows), BATCH):
            # The update refreshes ``updated_at``, so a run applying an older version
            # of a row leaves this one for the next run.
            PendingUpdate.objects.bulk_create(
                rows[start : start + BATCH],
                update_conflicts=True,
                unique_fields=["backend", "key"],
                update_fields=[
                    "source",
                    "object_pk",
                    "action",
                    "state",
                    "attempts",
                    "last_error",
                    "updated_at",
                ],  # fmt: skip
            )
    transaction.on_commit(schedule_apply)


def schedule_apply() -> None:
    """Enqueue the apply task; a failing queue must never break a publish."""
    from .tasks import apply_pending_updates

    try:
        apply_pending_updates.enqueue()
    except Exception:
        logger.exception("Search: could not enqueue index updates; they stay pending")


@dataclass
class _Work:
    """What a batch of pending rows asks of a backend."""

    upserts: list[Document] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    invalid: dict[int, str] = field(default_factory=dict)  # row pk -> error


def _documents_for(rows: list[PendingUpdate]) -> _Work:
    work = _Work()
    upserts: dict[str, Document] = {}
    for row in rows:
        document = None
        if row.action == PendingUpdate.Action.UPSERT:
            try:
                source = get_source(row.source)
            except KeyError:
                logger.warning("Search: unknown source %s for %s", row.source, row.key)
            else:
                try:
                    _key, document = source.document_for_pk(row.object_pk)
                except Exception as exc:
                    logger.exception("Search: could not build the document of %s", row.key)
                    work.invalid[row.pk] = f"{type(exc).__name__}: {exc}"[:2000]
                    continue
        if document is None:
            work.deletes.append(row.key)
        else:
            upserts[row.key] = document
    work.upserts = list(upserts.values())
    return work


def apply_pending(
    backends: list[str] | None = None, limit: int | None = None, retry_invalid: bool = False
) -> dict[str, int]:
    """Apply waiting updates; returns counts: applied, failed (still pending: the
    engine is down) and invalid (documents that could not be built, set aside).
    ``retry_invalid`` first puts rows set aside earlier back in the queue."""
    counts: dict[str, int] = defaultdict(int)
    for name in backends or index_backends():
        backend = get_backend(name)
        waiting = PendingUpdate.objects.filter(backend=name)
        if retry_invalid:
            waiting.filter(state=PendingUpdate.State.INVALID).update(
                state=PendingUpdate.State.PENDING
            )
        done = 0
        while limit is None or done < limit:
            rows = list(waiting.filter(state=PendingUpdate.State.PENDING)[:BATCH])
            if not rows:
                break
            work = _documents_for(rows)
            if work.invalid:
                for pk, error in work.invalid.items():
                    PendingUpdate.objects.filter(pk=pk).update(
                        state=PendingUpdate.State.INVALID,
                        attempts=F("attempts") + 1,
                        last_error=error,
                    )
                counts["invalid"] += len(work.invalid)
            try:
                backend.upsert(work.upserts)
                backend.delete(work.deletes)
            except SearchUnavailable as exc:
                applicable = [r.pk for r in rows if r.pk not in work.invalid]
                PendingUpdate.objects.filter(pk__in=applicable).update(
                    attempts=F("attempts") + 1, last_error=str(exc)[:2000]
                )
                counts["failed"] += waiting.filter(state=PendingUpdate.State.PENDING).count()
                logger.warning("Search: %s unavailable, %d updates wait", name, counts["failed"])
                break
            for row in rows:
                if row.pk in work.invalid:
                    continue
                # A row updated meanwhile (a newer publish) stays for the next run.
                PendingUpdate.objects.filter(pk=row.pk, updated_at=row.updated_at).delete()
            done += len(rows)
            counts["applied"] += len(rows) - len(work.invalid)
    if counts.get("applied"):
        # Pages cache their "similar calls" / "related assets" sections.
        fragments.invalidate()
        for name in backends or index_backends():
            get_backend(name).after_writes()
    return dict(counts)


def invalid_count() -> int:
    return PendingUpdate.objects.filter(state=PendingUpdate.State.INVALID).count()


def pending_count() -> int:
    return PendingUpdate.objects.filter(state=PendingUpdate.State.PENDING).count()
