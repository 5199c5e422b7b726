"""What operators read about search: whether it answers, how fast, how far the index lags.

``answering`` is ``/readyz``'s search check: the engine when one is configured and its
circuit breaker lets a probe through, else the database backend that searches fall back
to (``interlink_search.service``). ``SEARCH_SECONDS`` times every search and suggestion
in this process (``/metrics``); ``index_lag`` is the pending-update queue.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min
from prometheus_client import Histogram

from . import breaker
from .backends import primary_backend_name

# Per process, as prometheus_client keeps it: each web process reports its own searches.
SEARCH_SECONDS = Histogram(
    "interlink_search_seconds",
    "Time to answer a search or suggestion, by the backend that answered.",
    ["backend"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)


def _engine_answers() -> bool:
    from .backends.elasticsearch import make_client

    try:
        return bool(make_client().ping())
    except Exception:  # noqa: BLE001 - any failure to reach the engine is "not answering"
        return False


def _fallback_answers() -> bool:
    """The database backend's table answers a query (an empty index answers too)."""
    from .models import IndexEntry

    IndexEntry.objects.order_by().values_list("pk", flat=True)[:1].exists()
    return True


def answering() -> tuple[bool, str]:
    """Whether searches get an answer now, and from what: ``engine``, ``fallback``
    (the engine is down or its breaker open; the database answers) or ``down``."""
    if primary_backend_name() == "database":
        try:
            return _fallback_answers(), "database"
        except Exception:  # noqa: BLE001 - the caller reports it, never raises it
            return False, "down"
    if breaker.allow():
        if _engine_answers():
            breaker.record_success()
            return True, "engine"
        breaker.record_failure()
    try:
        return _fallback_answers(), "fallback"
    except Exception:  # noqa: BLE001
        return False, "down"


def index_lag() -> dict[str, tuple[int, datetime | None]]:
    """Per backend: updates waiting to reach it and the oldest one's creation time."""
    from .models import PendingUpdate

    rows = (
        PendingUpdate.objects.filter(state=PendingUpdate.State.PENDING)
        .order_by()
        .values("backend")
        .annotate(waiting=Count("pk"), oldest=Min("created_at"))
    )
    return {row["backend"]: (row["waiting"], row["oldest"]) for row in rows}
