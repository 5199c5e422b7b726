"""Per-process caches with a short time to live, for the hot inbox path.

Each gunicorn worker keeps its own copy; a change saved in this process clears it at once
(and again when the transaction commits), other processes see it when the TTL runs out.
That bounds staleness to a few seconds while an inbox POST costs no lookup queries.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import transaction

from .conf import setting

Value = TypeVar("Value")

_registry: list[TTLCache] = []  # type: ignore[type-arg]


class TTLCache(Generic[Value]):
    """A small dict of ``key → (expiry, value)`` read without a lock (dict reads are atomic)."""

    def __init__(self, ttl_setting: str, max_entries: int = 4096) -> None:
        self.ttl_setting = ttl_setting
        self.max_entries = max_entries
        self._entries: dict[object, tuple[float, Value]] = {}
        self._lock = threading.Lock()
        _registry.append(self)

    def get_or_load(self, key: object, load: Callable[[], Value]) -> Value:
        ttl = float(setting(self.ttl_setting))
        entry = self._entries.get(key)
        now = time.monotonic()
        if entry is not None and entry[0] > now:
            return entry[1]
        value = load()
        if ttl > 0:
            self.put(key, value, now + ttl)
        return value

    def get(self, key: object) -> Value | None:
        entry = self._entries.get(key)
        return entry[1] if entry is not None and entry[0] > time.monotonic() else None

    def put(self, key: object, value: Value, expires: float | None = None) -> None:
        if expires is None:
            expires = time.monotonic() + float(setting(self.ttl_setting))
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()  # crude but bounded; refilling is cheap
            self._entries[key] = (expires, value)

    def discard(self, key: object) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def clear_now_and_on_commit(self, **_kwargs: object) -> None:
        """Signal receiver: clears at once and again after commit, so a concurrent reader that
        reloaded the old rows before the commit does not keep them."""
        self.clear()
        transaction.on_commit(self.clear)


def clear_all() -> None:
    """Empties every cache (tests call this between cases: rollbacks send no signals)."""
    for cache in _registry:
        cache.clear()
