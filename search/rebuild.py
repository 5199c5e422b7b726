"""Rebuilding an index from every registered source, resumably (``manage.py reindex``).

Progress (the last primary key done per source) is saved in ``ReindexRun`` after each
batch, so an interrupted run resumes where it stopped, into the same target index.
Elasticsearch builds a new index and swaps the alias at the end; the database backend
replaces rows in place and then removes entries no source produces any more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from interlink_blocks import fragments

from .backends import SearchBackend
from .models import ReindexRun
from .registry import Source, sources


@dataclass
class RebuildReport:
    backend: str
    target: str
    indexed: int
    skipped: int
    removed: int
    resumed: bool


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
    if run is None:
        run = ReindexRun.objects.create(backend=backend.name)
    run.target = backend.begin_rebuild(run.target or None)
    run.save(update_fields=["target"])

    total = sum(source.queryset().count() for source in sources())
    done = run.indexed + run.skipped
    if progress:
        progress(done, total)
    for source in sources():
        for batch in _batches(source, run.progress.get(source.name), batch_size):
            documents = [doc for doc in (source.to_document(obj) for obj in batch) if doc]
            backend.upsert_into(run.target, documents)
            run.indexed += len(documents)
            run.skipped += len(batch) - len(documents)
            run.progress[source.name] = batch[-1].pk
            run.save(update_fields=["indexed", "skipped", "progress"])
            done += len(batch)
            if progress:
                progress(done, total)

    backend.finish_rebuild(run.target)
    removed = 0
    if backend.name == "database":
        expected = {source.key(obj) for source in sources() for obj in source.queryset().iterator()}
        removed = backend.delete(backend.keys() - expected)
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    fragments.invalidate()  # pages cache their "similar calls" / "related assets" sections
    return RebuildReport(backend.name, run.target, run.indexed, run.skipped, removed, resumed)
