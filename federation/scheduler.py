"""Periodic jobs run by ``federation_worker`` itself, once per interval across all workers.

No cron: every worker ticks every ``SCHEDULER_TICK`` seconds and, for each job that is
due, tries to move its ``ScheduledJob.next_run`` forward with one conditional ``UPDATE …
WHERE name = %s AND next_run = <what it read> AND next_run <= now``. The database lets one
such update match (PostgreSQL re-checks the condition after a concurrent update commits;
SQLite serialises writers), so exactly one worker wins each interval; the others see
0 rows and go on. It is a compare-and-set on one row, not a queue: the work itself goes
through django_tasks.

- The recovery sweep runs **inline** in the winning worker: it is what recovers the task
  queue, so it must not wait in that queue behind a long fan-out.
- The other jobs are management commands of the installed apps; the winner **enqueues**
  ``run_scheduled_command`` (a django_tasks task) in the same transaction as its claim,
  so an interval's run is neither lost nor doubled if the worker dies in between, and any
  worker runs it. A job whose command is not installed (a node without participation or
  accounts) is skipped.

Intervals are settings (seconds, ``0`` switches a job off, e.g. for a host site that keeps
its own cron); docs/deployment.md, "Periodic jobs".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.management import get_commands
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .conf import setting
from .models import ScheduledJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A periodic job: its name, the setting that holds its interval, and either an inline
    action or a management command (with arguments) to enqueue."""

    name: str
    interval_setting: str
    command: str = ""
    args: tuple[str, ...] = ()
    inline: Callable[[], object] | None = field(default=None, compare=False)

    def interval(self) -> float:
        return float(setting(self.interval_setting) or 0)

    def available(self) -> bool:
        return self.inline is not None or self.command in get_commands()


def _sweep() -> object:
    from .recovery import sweep

    return sweep()


JOBS: tuple[Job, ...] = (
    Job("federation_sweep", "FEDERATION_SWEEP_INTERVAL", inline=_sweep),
    # The participation digest, the closing announcements and the interlink_daily_digest
    # hook (workspace digests) are one command.
    Job("participation_digest", "SCHEDULE_DIGEST_INTERVAL", command="send_participation_digest"),
    Job("prune_participation_data", "SCHEDULE_PRUNE_INTERVAL", command="prune_participation_data"),
    Job("prune_accounts", "SCHEDULE_PRUNE_INTERVAL", command="prune_accounts"),
    Job("search_pending", "SCHEDULE_SEARCH_PENDING_INTERVAL", "reindex", ("--pending",)),
)


def _following(job: Job, due: datetime, now: datetime) -> datetime:
    """The next run one interval after the due time (keeping the cadence), or one interval
    from now when workers were away for longer: missed intervals are not caught up."""
    step = timedelta(seconds=job.interval())
    return due + step if due + step > now else now + step


def claim(job: Job, owner: str, now: datetime | None = None) -> bool:
    """Whether ``owner`` won ``job``'s current interval (and moved it on). Creates the
    job's row, due at once, the first time a worker sees it."""
    now = now or timezone.now()
    try:
        row, _created = ScheduledJob.objects.get_or_create(
            name=job.name, defaults={"next_run": now}
        )
    except IntegrityError:  # another worker created it between our get and create
        row = ScheduledJob.objects.get(name=job.name)
    step = timedelta(seconds=job.interval())
    if row.next_run > now + step:
        # The interval was shortened since this row was written: honour the new one.
        ScheduledJob.objects.filter(pk=row.pk, next_run=row.next_run).update(next_run=now + step)
        return False
    if row.next_run > now:
        return False
    won = ScheduledJob.objects.filter(pk=row.pk, next_run=row.next_run, next_run__lte=now).update(
        next_run=_following(job, row.next_run, now),
        last_run=now,
        last_owner=owner[:128],
        runs=F("runs") + 1,
    )
    return won == 1


def tick(owner: str, jobs: tuple[Job, ...] = JOBS) -> list[str]:
    """Runs (or enqueues) every due job this worker wins; returns their names."""
    from .tasks import run_scheduled_command

    ran = []
    for job in jobs:
        if job.interval() <= 0 or not job.available():
            continue
        if job.inline is not None:
            if claim(job, owner):
                job.inline()
                ran.append(job.name)
            continue
        with transaction.atomic():
            if not claim(job, owner):
                continue
            run_scheduled_command.enqueue(job.command, list(job.args))
        logger.info("Scheduler: %s enqueued by %s", job.name, owner)
        ran.append(job.name)
    return ran
