"""A circuit breaker in front of the search engine, shared by every process.

Without it, each request to a hanging engine waited ``SEARCH_TIMEOUT`` per call. After
a failure the breaker opens: for ``SEARCH_RETRY_SECONDS`` requests skip the engine and
answer from the database backend at once. Then one request (whichever wins a cache
``add``) probes the engine; success closes the breaker, failure opens it for another
interval. The state lives in Django's cache (Redis in production), so every worker
process and thread shares it; a cache that fails never blocks a search.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.core.cache import cache

from .conf import setting

logger = logging.getLogger(__name__)

# The breaker's clock (seconds since the epoch, shared across processes through the cache);
# tests replace it to move past an interval without waiting for it.
clock = time.time


def _keys() -> tuple[str, str]:
    """Cache keys of the configured engine (another engine has its own breaker)."""
    engine = hashlib.sha256(str(setting("SEARCH_URL")).encode()).hexdigest()[:16]
    return f"search:breaker:{engine}:opened", f"search:breaker:{engine}:probe"


def _interval() -> float:
    return max(float(setting("SEARCH_RETRY_SECONDS")), 1.0)


def allow() -> bool:
    """Whether this request may call the engine: the breaker is closed, or it is this
    request's turn to probe an open one (one request per interval)."""
    opened_key, probe_key = _keys()
    try:
        opened = cache.get(opened_key)
        if opened is None:
            return True
        if clock() - float(opened) < _interval():
            return False
        return bool(cache.add(probe_key, True, timeout=_interval()))
    except Exception:
        logger.exception("Search: circuit breaker state unreadable; calling the engine")
        return True


def record_failure() -> None:
    """Open the breaker (or keep it open) for another interval from now."""
    opened_key, _probe_key = _keys()
    try:
        cache.set(opened_key, clock(), timeout=None)
    except Exception:
        logger.exception("Search: could not record the engine failure in the cache")


def record_success() -> None:
    """Close the breaker."""
    try:
        if cache.get(_keys()[0]) is not None:
            cache.delete_many(list(_keys()))
            logger.info("Search: the engine answers again; circuit breaker closed")
    except Exception:
        logger.exception("Search: could not record the engine's recovery in the cache")


def is_open() -> bool:
    try:
        return cache.get(_keys()[0]) is not None
    except Exception:
        logger.exception("Search: circuit breaker state unreadable")
        return False


def reset() -> None:
    """Forget the engine's state (tests, and after changing ``SEARCH_URL``)."""
    try:
        cache.delete_many(list(_keys()))
    except Exception:
        logger.exception("Search: could not reset the circuit breaker")
