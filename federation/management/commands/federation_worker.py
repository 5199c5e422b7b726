"""``db_worker`` plus the federation recovery sweep (at start and every few seconds).

django_tasks_db leaves a task RUNNING forever when its worker is killed; delivery rows are
the source of truth, so the sweep re-queues deliveries a dead worker left ``sending`` and
those whose retry time has come. Every ``db_worker`` option is accepted unchanged.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from interlink_federation.conf import setting
from interlink_federation.delivery import sweep

logger = logging.getLogger(__name__)


def sweep_forever(stop: threading.Event) -> None:
    interval = float(setting("FEDERATION_SWEEP_INTERVAL"))
    while not stop.is_set():
        close_old_connections()
        try:
            sweep()
        except Exception:
            logger.exception("Sweep: failed; trying again in %s s", interval)
        finally:
            connection.close()
        stop.wait(interval)


class Command(DbWorkerCommand):
    help = "Runs the task worker with the federation recovery sweep."

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        thread = threading.Thread(
            target=sweep_forever, args=(stop,), name="federation-sweep", daemon=True
        )
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
