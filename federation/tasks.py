"""Durable background work (django_tasks database backend): deliveries and inbox handling."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from django.db import close_old_connections
from django.db.models import Q
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from . import delivery
from .conf import setting
from .models import InboxMessage, InboxState

logger = logging.getLogger(__name__)

# Messages per transaction: short enough that a batch holds SQLite's write lock briefly.
BACKLOG_BATCH = 100


def _send_in_batches(delivery_filter: Q) -> int:
    """Claims (leases) and sends small batches until nothing matching is due, the next batch
    claimed as threads free up: a worker that dies holds at most a batch or two, and
    another worker can take the rest meanwhile."""
    return len(delivery.send_claimed([], claim_more=lambda: delivery.claim(delivery_filter)))


@task()
def send_activity(activity_pk: int) -> int:
    """Fan-out of one activity: every due delivery of it, sent concurrently in batches."""
    return _send_in_batches(Q(activity_id=activity_pk))


@task()
def send_deliveries(delivery_ids: list[int]) -> int:
    """Retries and staff's "retry now": the given deliveries, if still due."""
    return _send_in_batches(Q(pk__in=delivery_ids))


@task()
def send_due() -> int:
    """Everything due (the sweep enqueues it): re-queued deliveries of a dead worker,
    a fan-out its task no longer covers, retries whose deferred task was lost."""
    return _send_in_batches(Q())


@task()
def process_inbox_message(message_pk: int) -> str:
    from .handlers import process

    return process(message_pk)


@task()
def process_inbox_backlog() -> int:
    """Every message still ``received``, oldest first: the inbox rows are the durable queue.

    A task is enqueued after each stored message commits (see ``wake_inbox_worker``), so
    every message has a backlog run that starts after it is visible. Messages are handled
    in batches, one transaction each (``handlers.process_batch``). The cursor moves by
    primary key so a message whose handling fails is not retried in a loop (the sweep
    re-enqueues what is left ``received``).
    """
    from .handlers import process_batch

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
        handled += process_batch(rows, actors)
        cursor = rows[-1][0]


class _Waker:
    """Enqueues backlog tasks for one process, from one long-lived thread.

    A request only sets an event. The thread enqueues at once for a message after a quiet
    spell, so a lone activity is handled within moments. If more messages arrive within
    the burst window after that, it is a burst: they wait for one trailing task at the end
    of the interval, so the worker handles a burst in a few large batches instead of
    spending the cores the web processes need on many small runs. The thread clears the
    event before each enqueue, so every message is followed by a task enqueued after its
    commit. One thread with one kept database connection: a new timer thread per interval
    cost a thread start (made under a lock every request thread then queued on) and a new
    database connection. A process killed before the thread enqueues loses nothing: the rows
    stay ``received`` and the sweep re-enqueues them.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        burst_wait: Callable[[threading.Event, float], bool] | None = None,
    ) -> None:
        self.lock = threading.Lock()
        self.pending = threading.Event()
        self.thread: threading.Thread | None = None
        # The clock, the pause before a trailing task, and the wait for more messages within
        # the burst window: tests replace them to follow the waker without measuring time.
        self.clock, self.sleep = clock, sleep
        self.burst_wait = burst_wait or (lambda event, timeout: event.wait(timeout))

    def wake(self) -> None:
        interval = float(setting("FEDERATION_INBOX_WAKE_INTERVAL"))
        if interval <= 0 or isinstance(process_inbox_backlog.get_backend(), ImmediateBackend):
            process_inbox_backlog.enqueue()  # one task per message (tests: tasks run inline)
            return
        if not self.pending.is_set():
            self.pending.set()
        if self.thread is None:
            with self.lock:
                if self.thread is None:
                    self.thread = threading.Thread(
                        target=self._run, args=(self.pending,), name="inbox-waker", daemon=True
                    )
                    self.thread.start()

    def _run(self, pending: threading.Event) -> None:
        while True:
            pending.wait()
            pending.clear()
            enqueued_at = self.clock()
            try:
                process_inbox_backlog.enqueue()
            except Exception:  # the rows stay received; the sweep picks them up
                logger.exception("Inbox: could not enqueue the backlog task")
            finally:
                close_old_connections()  # keeps a healthy connection (CONN_MAX_AGE)
            interval = float(setting("FEDERATION_INBOX_WAKE_INTERVAL"))
            window = min(interval, float(setting("FEDERATION_INBOX_WAKE_BURST_WINDOW")))
            if self.burst_wait(pending, max(0.0, enqueued_at + window - self.clock())):
                self.sleep(max(0.0, enqueued_at + interval - self.clock()))

    def after_fork(self) -> None:
        """A forked child has none of the parent's threads: it starts its own."""
        self.lock = threading.Lock()
        self.pending = threading.Event()
        self.thread = None


_waker = _Waker()
os.register_at_fork(after_in_child=_waker.after_fork)


def wake_inbox_worker() -> None:
    """Called after an inbox message commits: makes sure a backlog task will see it."""
    _waker.wake()


@task()
def run_scheduled_command(command: str, args: list[str]) -> str:
    """A periodic job's management command (``scheduler.JOBS``), enqueued once per interval
    by whichever ``federation_worker`` won it; returns what the command printed."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()[-2000:]
