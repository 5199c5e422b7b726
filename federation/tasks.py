"""Durable background work (django_tasks database backend): deliveries and inbox handling."""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections
from django.db.models import Q
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from . import delivery
from .conf import setting
from .models import InboxMessage, InboxState

logger = logging.getLogger(__name__)

BACKLOG_BATCH = 200


@task()
def send_activity(activity_pk: int) -> int:
    """Fan-out of one activity: every due delivery of it, sent concurrently."""
    claimed = delivery.claim(Q(activity_id=activity_pk))
    return len(delivery.send_claimed(claimed))


@task()
def send_deliveries(delivery_ids: list[int]) -> int:
    """Retries (and sweep re-queues): the given deliveries, if still due."""
    claimed = delivery.claim(Q(pk__in=delivery_ids))
    return len(delivery.send_claimed(claimed))


@task()
def process_inbox_message(message_pk: int) -> str:
    from .handlers import process

    return process(message_pk)


@task()
def process_inbox_backlog() -> int:
    """Every message still ``received``, oldest first: the inbox rows are the durable queue.

    A task is enqueued after each stored message commits (see ``wake_inbox_worker``), so
    every message has a backlog run that starts after it is visible. The cursor moves by
    primary key so a message whose handling fails is not retried in a loop (the sweep
    re-enqueues what is left ``received``).
    """
    from .handlers import process

    handled, cursor = 0, 0
    actors: dict = {}  # actor URI → RemoteActor (or the fetch error), for this run only
    while True:
        rows = list(
            InboxMessage.objects.filter(state=InboxState.RECEIVED, pk__gt=cursor)
            .order_by("pk")
            .values_list("pk", "actor_uri")[:BACKLOG_BATCH]
        )
        if not rows:
            return handled
        for message_pk, actor_uri in rows:
            process(message_pk, actor_uri, actors)
            handled += 1
        cursor = rows[-1][0]


class _Waker:
    """Enqueues at most one backlog task per interval per process, plus one trailing task.

    The first message after a quiet spell enqueues at once (prompt); messages within the
    interval set a timer that enqueues one more task at its end, so each message is
    followed by a task that starts after its commit. A process killed before its timer
    fires loses nothing: the rows stay ``received`` and the sweep re-enqueues them.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last = 0.0
        self.timer: threading.Timer | None = None

    def wake(self) -> None:
        interval = float(setting("FEDERATION_INBOX_WAKE_INTERVAL"))
        if isinstance(process_inbox_backlog.get_backend(), ImmediateBackend):
            interval = 0  # tasks run inline (tests): nothing to group, no timer threads
        with self.lock:
            now = time.monotonic()
            if interval <= 0 or now - self.last >= interval:
                self.last = now
                enqueue_now = True
            else:
                enqueue_now = False
                if self.timer is None:
                    self.timer = threading.Timer(self.last + interval - now, self._trailing)
                    self.timer.daemon = True
                    self.timer.start()
        if enqueue_now:
            process_inbox_backlog.enqueue()

    def _trailing(self) -> None:
        with self.lock:
            self.timer = None
            self.last = time.monotonic()
        try:
            process_inbox_backlog.enqueue()
        except Exception:  # the rows stay received; the sweep picks them up
            logger.exception("Inbox: could not enqueue the backlog task")
        finally:
            close_old_connections()


_waker = _Waker()


def wake_inbox_worker() -> None:
    """Called after an inbox message commits: makes sure a backlog task will see it."""
    _waker.wake()
