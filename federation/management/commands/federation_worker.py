"""``db_worker`` that rides out database outages, plus the recovery sweep and a heartbeat.

django_tasks_db's worker exits on the first database error of its loop (a restarted or
unreachable PostgreSQL), and leaves a task RUNNING forever when it is killed. This command:

- runs the same loop, but a lost or refused connection makes it close its connections, wait
  (1 s, doubling up to 5 s, with jitter: back at work within about 5 s of the
  database) and try again; the outage is logged once when it
  starts and once when it ends. It never exits on a database error; any other error exits
  with a non-zero status for the supervisor (docs/deployment.md: ``Restart=always``);
- runs the periodic jobs (``interlink_federation.scheduler``): every ``SCHEDULER_TICK``
  seconds it claims the jobs that are due, one worker per job and interval however many
  run. The recovery sweep (every ``FEDERATION_SWEEP_INTERVAL`` seconds: deliveries whose
  lease expired go back to the queue, due work and stuck inbox messages get a task) runs
  inline; the daily digest and prunes are enqueued as tasks;
- writes a heartbeat every ``FEDERATION_WORKER_HEARTBEAT_INTERVAL`` seconds, which
  ``/readyz`` and the admin's federation status read.

Every ``db_worker`` option is accepted unchanged.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
)
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from interlink_federation.conf import setting
from interlink_federation.delivery import lease_owner
from interlink_federation.recovery import beat, sweep
from interlink_federation.scheduler import tick

logger = logging.getLogger(__name__)

CONNECTION_ERRORS = (OperationalError, InterfaceError)
# A short cap: a probe every 5 s costs nothing, and work resumes soon after an outage.
BACKOFF_START, BACKOFF_MAX = 1.0, 5.0


class Outage:
    """Backoff and logging for one loop: one line when an outage starts, one when it ends."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.since: float | None = None
        self.delay = BACKOFF_START

    def failed(self, error: BaseException) -> float:
        """Records a failure; returns how long to wait before the next try."""
        if self.since is None:
            self.since, self.delay = time.monotonic(), BACKOFF_START
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            logger.error("%s: database unreachable, retrying with backoff: %s", self.name, first)
        else:
            self.delay = min(BACKOFF_MAX, self.delay * 2)
        drop_connections()
        return self.delay * random.uniform(0.8, 1.2)  # noqa: S311 - jitter only

    def succeeded(self) -> None:
        if self.since is not None:
            logger.warning(
                "%s: database reachable again after %.1f s",
                self.name,
                time.monotonic() - self.since,
            )
            self.since, self.delay = None, BACKOFF_START


def drop_connections() -> None:
    """Closes this thread's connections: a broken one is not reused, the next query
    connects afresh."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            pass


def database_answers() -> None:
    """Raises a connection error unless the database answers a query now."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def every(
    name: str, interval_setting: str, action: Callable[[], Any], stop: threading.Event
) -> None:
    """Runs ``action`` every few seconds until ``stop``; database errors never end the loop."""
    outage = Outage(name)
    while not stop.is_set():
        close_old_connections()
        wait = float(setting(interval_setting))
        try:
            action()
        except CONNECTION_ERRORS as error:
            wait = min(wait, outage.failed(error))
        except Exception:
            logger.exception("%s: failed; trying again in %s s", name, wait)
        else:
            outage.succeeded()
        stop.wait(wait)
    drop_connections()


def sweep_forever(stop: threading.Event) -> None:
    """The sweep alone, in every process that runs it (``federation_sweep --loop`` next to
    a plain ``db_worker``); ``federation_worker`` runs it through the scheduler instead."""
    every("Sweep", "FEDERATION_SWEEP_INTERVAL", sweep, stop)


def schedule_forever(worker_id: str, stop: threading.Event) -> None:
    every("Scheduler", "SCHEDULER_TICK", lambda: tick(worker_id), stop)


class Worker(db_worker.Worker):
    """django_tasks_db's worker loop, restarted after a database error instead of exiting."""

    def run(self) -> None:
        outage = Outage("Worker")
        while self.running:
            try:
                super().run()
                return  # --batch / --max-tasks finished, or a stop was asked for
            except CONNECTION_ERRORS as error:
                # A task interrupted here stays RUNNING in django_tasks_db; its deliveries'
                # leases expire and the sweep puts them back in the queue.
                self.running_task = False
                delay = outage.failed(error)
            self._sleep(delay)
            self._probe(outage)

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(min(0.2, deadline - time.monotonic()))

    def _probe(self, outage: Outage) -> None:
        """Waits until the database answers again (logging its return once)."""
        while self.running:
            try:
                database_answers()
            except CONNECTION_ERRORS as error:
                self._sleep(outage.failed(error))
            else:
                outage.succeeded()
                return


class Command(db_worker.Command):
    help = "Runs the task worker with the periodic jobs (recovery sweep, digests, prunes) and a heartbeat."

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        worker_id = lease_owner()
        started_at = timezone.now()
        threads = [
            threading.Thread(
                target=schedule_forever,
                args=(worker_id, stop),
                name="federation-scheduler",
                daemon=True,
            ),
            threading.Thread(
                target=every,
                args=(
                    "Heartbeat",
                    "FEDERATION_WORKER_HEARTBEAT_INTERVAL",
                    lambda: beat(worker_id, started_at),
                    stop,
                ),
                name="federation-heartbeat",
                daemon=True,
            ),
        ]
        for thread in threads:
            thread.start()
        original = db_worker.Worker
        # db_worker's command builds its worker by the module's name for it.
        db_worker.Worker = Worker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
            stop.set()
