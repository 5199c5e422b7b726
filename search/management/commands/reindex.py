"""``manage.py reindex``: rebuild discovery's index(es) from pages and the federated catalogue.

Resumable: an interrupted run continues where it stopped (``--restart`` starts over;
a run whose target index is gone starts over by itself and says so). ``--pending``
only applies the waiting updates (catch-up after an engine outage), retrying those
whose document could not be built before. Objects whose document cannot be built are
counted as failed and listed; they never stop the run.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interlink_search.backends import SearchUnavailable, get_backend, index_backends
from interlink_search.backends.base import RebuildIncomplete
from interlink_search.conf import setting
from interlink_search.indexing import apply_pending, invalid_count, pending_count
from interlink_search.rebuild import rebuild

BAR_WIDTH = 30


class ProgressBar:
    """A one-line text progress bar on stderr (plain lines when not a terminal)."""

    def __init__(self, label: str, stream: Any = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.interactive = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self.last_line = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.interactive and now - self.last_line < 2 and done < total:
            return
        self.last_line = now
        fraction = done / total if total else 1.0
        filled = int(BAR_WIDTH * fraction)
        rate = done / max(now - self.started, 1e-6)
        line = (
            f"{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{done}/{total} ({fraction:.0%}, {rate:.0f}/s)"
        )
        self.stream.write(("\r" + line) if self.interactive else line + "\n")
        if self.interactive and done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Rebuild the discovery index (resumable), or apply pending updates with --pending."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--backend",
            choices=["database", "elasticsearch"],
            help="Only this backend (default: every configured one).",
        )
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--restart", action="store_true", help="Ignore an interrupted run.")
        parser.add_argument(
            "--pending", action="store_true", help="Only apply waiting updates (catch-up)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = [options["backend"]] if options["backend"] else index_backends()
        if "elasticsearch" in names and not setting("SEARCH_URL"):
            raise CommandError(
                "SEARCH_URL is not set, so there is no Elasticsearch to reindex "
                "(set it, or use --backend database)."
            )
        if options["pending"]:
            self._apply_pending(names)
            return
        for name in names:
            backend = get_backend(name)
            try:
                report = rebuild(
                    backend,
                    batch_size=options["batch_size"],
                    restart=options["restart"],
                    progress=ProgressBar(f"{name}:", self.stderr._out),
                )
            except SearchUnavailable as exc:
                raise CommandError(
                    f"{name} is unreachable ({exc}); run reindex again to resume."
                ) from exc
            except RebuildIncomplete as exc:
                raise CommandError(f"{name}: {exc}") from exc
            if report.restarted:
                self.stderr.write(f"{name}: {report.restarted}")
            summary = (
                f"{name}: indexed {report.indexed}, skipped {report.skipped}, "
                f"failed {report.failed}, removed {report.removed} stale into {report.target}"
                + (" (resumed)" if report.resumed else "")
                + (" (restarted)" if report.restarted else "")
            )
            style = self.style.WARNING if report.failed else self.style.SUCCESS
            self.stdout.write(style(summary))
            if report.failed_keys:
                self.stdout.write("Could not build (see the log): " + ", ".join(report.failed_keys))

    def _apply_pending(self, names: list[str]) -> None:
        before = pending_count() + invalid_count()
        counts = apply_pending(names, retry_invalid=True)
        self.stdout.write(
            f"Applied {counts.get('applied', 0)} of {before} pending updates; "
            f"{pending_count()} still waiting, {invalid_count()} could not be built."
        )
        if counts.get("failed"):
            raise CommandError("The search engine is still unreachable; updates kept.")
