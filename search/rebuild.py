"""Rebuilding an index from every registered source, resumably (``manage.py reindex``).

Progress (the last primary key done per source) is saved in ``ReindexRun`` after each
batch, so an interrupted run resumes where it stopped, into the same target index. If
that target is gone (deleted by hand, an engine restarted without persistence), the
saved progress describes documents that no longer exist: the run starts again from
zero and says so. Elasticsearch builds a new index and swaps the alias at the end, and
only if the new index holds exactly what was written into it (``ReindexRun.written``);
the database backend replaces rows in place and then removes entries no source
produces any more.

An object whose document cannot be built is logged with its key and counted as
``failed``; it does not stop the rebuild.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from interlink_blocks import fragments

from .backends import SearchBackend
from .models import ReindexRun
from .registry import Source, sources
from .types import Document

logger = logging.getLogger(__name__)

# How many keys of failed objects a report lists (all of them are logged).
REPORTED_FAILURES = 20


@dataclass
class RebuildReport:
    backend: str
    target: str
    indexed: int
    skipped: int
    removed: int
    resumed: bool
    failed: int = 0
    failed_keys: list[str] = field(default_factory=list)
    # Why an interrupted run could not be resumed and started again, if it did.
    restarted: str = ""


Progress = Callable[[int, int], None]


def _batches(source: Source, after_pk: Any, size: int) -> Iterator[list[Any]]:
    queryset = source.queryset().order_by("pk")
    while True:
        batch = list(
            queryset.filter(pk__gt=after_pk)[:size] if after_pk is not None else queryset[:size]
        )
        if not batch:
            return
        yield batch
        after_pk = batch[-1].pk


def _build(source: Source, batch: list[Any], failed_keys: list[str]) -> list[Document | None]:
    """Each object's document (None: not searchable); failures go to ``failed_keys``."""
    documents: list[Document | None] = []
    for obj in batch:
        try:
            documents.append(source.to_document(obj))
        except Exception:
            key = _key(source, obj)
            logger.exception("Search: reindex could not build the document of %s", key)
            failed_keys.append(key)
    return documents


def _key(source: Source, obj: Any) -> str:
    try:
        return source.key(obj)
    except Exception:
        logger.exception("Search: no key for %s pk %s", source.name, obj.pk)
        return f"{source.name}:{obj.pk}"


def _reset(run: ReindexRun) -> None:
    run.target = ""
    run.progress = {}
    run.indexed = run.skipped = run.failed = run.written = 0
    run.save(update_fields=["target", "progress", "indexed", "skipped", "failed", "written"])


def rebuild(
    backend: SearchBackend,
    *,
    batch_size: int = 500,
    restart: bool = False,
    progress: Progress | None = None,
) -> RebuildReport:
    runs = ReindexRun.objects.filter(backend=backend.name, finished_at=None)
    if restart:
        runs.update(finished_at=timezone.now())
    run = runs.order_by("-pk").first() if not restart else None
    resumed = run is not None
    restarted = ""
    if run is not None and run.target and not backend.rebuild_target_exists(run.target):
        restarted = f"the target {run.target} of the interrupted run is gone; started again"
        logger.warning("Search: reindex of %s: %s", backend.name, restarted)
        _reset(run)
        resumed = False
    if run is None:
        run = ReindexRun.objects.create(backend=backend.name)
    run.target = backend.begin_rebuild(run.target or None)
    run.save(update_fields=["target"])

    total = sum(source.queryset().count() for source in sources())
    done = run.indexed + run.skipped + run.failed
    failed_keys: list[str] = []
    if progress:
        progress(done, total)
    for source in sources():
        for batch in _batches(source, run.progress.get(source.name), batch_size):
            before = len(failed_keys)
            built = _build(source, batch, failed_keys)
            documents = [doc for doc in built if doc]
            backend.upsert_into(run.target, documents)
            run.indexed += len(documents)
            run.failed += len(failed_keys) - before
            run.skipped += len(built) - len(documents)
            run.progress[source.name] = batch[-1].pk
            run.save(update_fields=["indexed", "skipped", "failed", "progress"])
            done += len(batch)
            if progress:
                progress(done, total)

    run.refresh_from_db(fields=["written"])
    backend.finish_rebuild(run.target, expected=run.written)
    removed = 0
    if backend.name == "database":
        # What the sources produce now; an object that failed goes too, as it is
        # absent from a rebuilt Elasticsearch index.
        expected = {
            _key(source, obj) for source in sources() for obj in source.queryset().iterator()
        }
        removed = backend.delete(backend.keys() - (expected - set(failed_keys)))
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    fragments.invalidate()  # pages cache their "similar calls" / "related assets" sections
    return RebuildReport(
        backend.name,
        run.target,
        run.indexed,
        run.skipped,
        removed,
        resumed,
        failed=run.failed,
        failed_keys=failed_keys[:REPORTED_FAILURES],
        restarted=restarted,
    )
