"""Background work of search, on Django's task queue (django_tasks)."""

from __future__ import annotations

import datetime
import logging

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from .conf import setting

logger = logging.getLogger(__name__)

RETRY_CACHE_KEY = "interlink_search:retry-scheduled"


@task()
def apply_pending_updates() -> dict[str, int]:
    """Apply every waiting index update; schedule a retry if an engine is down."""
    from .indexing import apply_pending

    counts = apply_pending()
    if counts.get("failed"):
        schedule_retry()
    return counts


def schedule_retry() -> None:
    """One deferred retry at a time (backends that cannot defer rely on catch-up)."""
    delay = int(setting("SEARCH_RETRY_SECONDS"))
    backend = apply_pending_updates.get_backend()
    if not backend.supports_defer or not cache.add(RETRY_CACHE_KEY, True, delay):
        return
    run_after = timezone.now() + datetime.timedelta(seconds=delay)
    try:
        apply_pending_updates.using(run_after=run_after).enqueue()
    except Exception:
        logger.exception("Search: could not schedule a retry of pending index updates")
