"""Recovery and health: the sweep, the worker heartbeat, and what ``/readyz`` reports.

The sweep (every ``FEDERATION_SWEEP_INTERVAL`` seconds in ``federation_worker``) re-queues
deliveries whose lease expired (their worker died), and makes sure one task is waiting for
due deliveries and for inbox messages left ``received``. It enqueues one task for each
kind at most: a task already waiting is enough, since a task takes everything due in
batches.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import Min, Q
from django.utils import timezone
from django_tasks.base import Task

from .conf import setting
from .delivery import DUE_STATES
from .models import Delivery, DeliveryState, HostHealth, InboxMessage, InboxState, WorkerHeartbeat

logger = logging.getLogger(__name__)


def enqueue_once(task: Task) -> bool:
    """Enqueues ``task`` unless one is already waiting in the database queue."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if isinstance(task.get_backend(), DatabaseBackend):
        waiting = DBTaskResult.objects.ready().filter(task_path=task.module_path)
        if waiting.exists():
            return False
    task.enqueue()
    return True


def _due(now: datetime) -> Q:
    return Q(state__in=DUE_STATES) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def sweep() -> dict[str, int]:
    """Re-queues deliveries of dead workers; enqueues work for anything due or stuck."""
    from .tasks import process_inbox_backlog, send_due

    now = timezone.now()
    recovered = (
        Delivery.objects.filter(state=DeliveryState.SENDING)
        .filter(Q(lease_expires__lt=now) | Q(lease_expires__isnull=True))
        .update(
            state=DeliveryState.QUEUED,
            claim_token="",
            lease_owner="",
            lease_expires=None,
            next_attempt_at=now,
        )
    )
    due = Delivery.objects.filter(_due(now)).exists()
    enqueued = enqueue_once(send_due) if due else False
    stuck_after = timedelta(seconds=float(setting("FEDERATION_INBOX_STUCK_AFTER")))
    stuck = InboxMessage.objects.filter(
        state=InboxState.RECEIVED, received_at__lt=now - stuck_after
    ).exists()
    inbox = enqueue_once(process_inbox_backlog) if stuck else False
    if recovered:
        logger.warning("Sweep: %s deliveries of a dead worker back in the queue", recovered)
    return {"recovered": recovered, "enqueued": int(enqueued), "inbox": int(inbox)}


def beat(worker_id: str, started_at: datetime) -> None:
    """Records that the worker ``worker_id`` is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"started_at": started_at, "last_seen": timezone.now()}
    )
    # Workers gone for a day are forgotten (a restart has a new pid, so a new id).
    WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - timedelta(days=1)).delete()


def status() -> dict[str, Any]:
    """What an operator needs at a glance: workers, the oldest stuck work, paused hosts.

    Raises ``django.db.Error`` when the database cannot be reached.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=float(setting("FEDERATION_WORKER_STALE_AFTER")))
    workers = [
        {"worker": beat.worker_id, "last_seen": beat.last_seen, "alive": beat.last_seen >= stale}
        for beat in WorkerHeartbeat.objects.order_by("-last_seen")[:20]
    ]
    oldest_due = Delivery.objects.filter(_due(now)).aggregate(
        at=Min("next_attempt_at"), created=Min("created_at")
    )
    oldest_due_at = oldest_due["at"] or oldest_due["created"]
    expired = Delivery.objects.filter(state=DeliveryState.SENDING, lease_expires__lt=now)
    oldest_lease = expired.aggregate(at=Min("lease_expires"))["at"]
    stuck_since = min([t for t in (oldest_due_at, oldest_lease) if t is not None], default=None)
    backlog = InboxMessage.objects.filter(state=InboxState.RECEIVED)
    oldest_message = backlog.aggregate(at=Min("received_at"))["at"]
    paused = list(
        HostHealth.objects.filter(paused_until__gt=now)
        .order_by("paused_until")
        .values("host", "paused_until", "consecutive_failures", "last_error")
    )
    return {
        "now": now,
        "workers": workers,
        "due_deliveries": Delivery.objects.filter(_due(now)).count(),
        "oldest_due_delivery": stuck_since,
        "inbox_backlog": backlog.count(),
        "oldest_inbox_message": oldest_message,
        "paused_hosts": paused,
    }


def readiness() -> tuple[bool, dict[str, Any]]:
    """``/readyz``: the database answers, a worker's heartbeat is fresh, the queue drains,
    search answers (the engine, else its database fallback)."""
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        current = status()
    except Exception as error:  # noqa: BLE001 - any failure to read is "database unreachable"
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return False, {"database": "unreachable", "error": first}
    now = current["now"]
    lag = timedelta(seconds=float(setting("FEDERATION_READY_MAX_LAG")))
    worker_alive = any(worker["alive"] for worker in current["workers"])
    deliveries_draining = current["oldest_due_delivery"] is None or (
        now - current["oldest_due_delivery"] < lag
    )
    inbox_draining = current["oldest_inbox_message"] is None or (
        now - current["oldest_inbox_message"] < lag
    )
    checks = {
        "database": "ok",
        "worker": "ok" if worker_alive else "no heartbeat",
        "deliveries": "ok" if deliveries_draining else "not draining",
        "inbox": "ok" if inbox_draining else "not draining",
    }
    if apps.is_installed("interlink_search"):
        from interlink_search.health import answering

        answers, answered_by = answering()
        checks["search"] = "ok" if answers else "not answering"
    else:
        answered_by = "not installed"
    detail = {
        **checks,
        "due_deliveries": current["due_deliveries"],
        "inbox_backlog": current["inbox_backlog"],
        "last_heartbeat": max((w["last_seen"] for w in current["workers"]), default=None),
        "search_answered_by": answered_by,
    }
    return all(value == "ok" for value in checks.values()), detail
