"""Runs the federation recovery sweep once (or in a loop next to a plain ``db_worker``)."""

from __future__ import annotations

import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from interlink_federation.recovery import sweep

from .federation_worker import sweep_forever


class Command(BaseCommand):
    help = "Re-queues deliveries a killed worker left behind and deliveries whose retry is due."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--loop",
            action="store_true",
            help="Keep sweeping every FEDERATION_SWEEP_INTERVAL seconds.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["loop"]:
            sweep_forever(threading.Event())
            return
        result = sweep()
        self.stdout.write(
            f"{result['recovered']} recovered, {result['enqueued']} deliveries enqueued, {result['inbox']} inbox messages re-enqueued"
        )
