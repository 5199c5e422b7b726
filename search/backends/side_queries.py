"""One read-only statement of a search on a second PostgreSQL connection, in parallel.

A database search runs two independent statements: the ranked page, and the ids that
match its words (for the facet counts). On PostgreSQL each runs in its own server
process, and the client waits on a socket without holding the GIL, so running the
second on another connection at the same time makes a search take about as long as
the slower of the two instead of their sum (measured in docs/search.md).

Each thread of a small per-process pool keeps its own connection, opened from the
search connection's settings, in autocommit, with the planner options and the time
limit searches use (``_searching`` in ``database``) set once per session. A
connection that broke is opened again once; any other failure is the caller's to
handle (it runs the statement itself, unless the statement ran out of time). Searches inside a transaction do not come here: another
connection would not see that transaction's writes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connection

from ..conf import database_timeout_ms, setting

if TYPE_CHECKING:
    import psycopg  # only PostgreSQL sites have it (the [postgres] extra); imported in _run

T = TypeVar("T")
SESSION_SETUP = ("SET enable_seqscan = off", "SET max_parallel_workers_per_gather = 0")

_pool: ThreadPoolExecutor | None = None
_slots: threading.BoundedSemaphore | None = None  # one per pool thread
_pool_lock = threading.Lock()
_local = threading.local()
_opened: list[psycopg.Connection[Any]] = []


def available() -> bool:
    """Whether this search may send a statement to a side connection."""
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and setting("SEARCH_SIDE_CONNECTIONS") > 0
    )


def submit(
    sql: str, params: list[Any], then: Callable[[list[tuple[Any, ...]]], T]
) -> Future[T] | None:
    """Run ``sql`` on a side connection; the future holds ``then`` of its rows. None
    when every side connection is busy (a busy threaded server): the caller runs the
    statement itself rather than queue behind other searches."""
    global _pool, _slots
    with _pool_lock:
        if _pool is None or _slots is None:
            workers = setting("SEARCH_SIDE_CONNECTIONS")
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="search-side")
            _slots = threading.BoundedSemaphore(workers)
    slots = _slots
    if not slots.acquire(blocking=False):
        return None
    future = _pool.submit(_run, connection.get_connection_params(), sql, params, then)
    future.add_done_callback(lambda _done: slots.release())
    return future


def close_all() -> None:
    """Close every side connection (before a test database is dropped, say)."""
    while _opened:
        _opened.pop().close()


def _run(
    params: dict[str, Any],
    sql: str,
    values: list[Any],
    then: Callable[[list[tuple[Any, ...]]], T],
) -> T:
    import psycopg  # available() said PostgreSQL, whose Django backend needs it

    key = (params.get("host"), params.get("port"), params.get("dbname"), params.get("user"))
    connections: dict[tuple[Any, ...], psycopg.Connection[Any]] = _local.__dict__.setdefault(
        "connections", {}
    )
    for attempt in (1, 2):
        side = connections.get(key)
        if side is None or side.closed or side.broken:
            if side is not None and side in _opened:  # broken, not closed by close_all
                side.close()
                _opened.remove(side)
            side = connections[key] = psycopg.connect(**params, autocommit=True)
            _opened.append(side)
            for statement in SESSION_SETUP:
                side.execute(statement)
            side.execute(f"SET statement_timeout = {database_timeout_ms()}")
        try:
            with side.cursor() as cursor:
                cursor.execute(sql, values)
                rows = cursor.fetchall()
        except psycopg.OperationalError:
            if attempt == 2 or not side.broken:
                raise
            continue  # the server closed it (a restart, an idle timeout): once more
        return then(rows)
    raise AssertionError("unreachable")
