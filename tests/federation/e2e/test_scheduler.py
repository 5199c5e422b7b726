"""Periodic jobs run once per interval with two workers on one PostgreSQL database (#16, 3).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/any python -m pytest -m e2e -s \\
        tests/federation/e2e/test_scheduler.py

Clocks: the shipped intervals are a day for the digest and the prunes, an hour for pending
index updates and 5 s for the recovery sweep, checked every second (SCHEDULER_TICK); here
the sweep runs every 1 s and the other jobs every 2 s, checked every 0.2 s, so a window of
about 20 s holds ten intervals of each. The logic is the same.
"""

from __future__ import annotations

import time

import pytest

from tests.support import faults
from tests.support.nodes import worker_argv
from tests.support.processes import Process, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.xdist_group("nodes")]

SWEEP, INTERVAL, TICK = 1.0, 2.0, 0.2
WINDOW = 20.0
COMMANDS = {
    "participation_digest": "send_participation_digest",
    "prune_participation_data": "prune_participation_data",
    "prune_accounts": "prune_accounts",
    "search_pending": "reindex",
}

RUNS = """
from interlink_federation.models import ScheduledJob, WorkerHeartbeat
from django_tasks_db.models import DBTaskResult
from django.utils import timezone
from datetime import timedelta
jobs = {j.name: [j.runs, j.last_owner] for j in ScheduledJob.objects.all()}
tasks = {}
for row in DBTaskResult.objects.filter(
    task_path='interlink_federation.tasks.run_scheduled_command'
).order_by('enqueued_at'):
    command = row.args_kwargs['args'][0]
    tasks.setdefault(command, []).append([row.enqueued_at.timestamp(), row.status])
alive = WorkerHeartbeat.objects.filter(last_seen__gte=timezone.now() - timedelta(seconds=5))
result = {"jobs": jobs, "tasks": tasks, "workers": sorted(alive.values_list('worker_id', flat=True))}
"""


def test_two_workers_run_each_job_once_per_interval(request, nodes):
    """Ensures that with two federation_worker processes on one PostgreSQL database every
    periodic job runs once per interval: the sweep's run count and each command's enqueued
    tasks match the elapsed intervals (two uncoordinated workers would make about twice as
    many), consecutive runs are an interval apart, and every enqueued run completes."""
    node = nodes(
        "Scheduling",
        extra_env={
            "INTERLINK_NODE_SWEEP_INTERVAL": str(SWEEP),
            "INTERLINK_NODE_SCHEDULE_INTERVAL": str(INTERVAL),
            "INTERLINK_NODE_SCHEDULER_TICK": str(TICK),
        },
    )
    second = Process("worker-2", worker_argv(), node.env, node.workdir / "worker-2.log")
    second.start()
    try:
        wait_until(lambda: len(node.python(RUNS)["workers"]) == 2, 30, 0.2, "two live workers")
        start = node.python(RUNS)
        time.sleep(WINDOW)
        end = node.python(RUNS)
    finally:
        second.request_stop()
        second.wait_stopped()
    assert len(end["workers"]) == 2, end["workers"]

    sweeps = end["jobs"]["federation_sweep"][0] - start["jobs"]["federation_sweep"][0]
    figures = {"sweeps": sweeps}
    for job, command in COMMANDS.items():
        times = [t for t, _status in end["tasks"][command]]
        new = [t for t in times if t > max((t for t, _ in start["tasks"][command]), default=0)]
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        figures[job] = len(new)
        # Once per interval: never two runs closer than the interval less one tick.
        assert min(gaps) >= INTERVAL - TICK - 0.05, (job, gaps)
        # As many as the window holds (one more at most for where it starts), not twice.
        assert WINDOW / INTERVAL - 2 <= len(new) <= WINDOW / INTERVAL + 1, (job, len(new))
        runs = end["jobs"][job][0]
        assert runs == len(times), (job, runs, len(times))
    assert WINDOW / SWEEP - 3 <= sweeps <= WINDOW / SWEEP + 1, sweeps
    wait_until(
        lambda: all(
            status == "SUCCESSFUL"
            for rows in node.python(RUNS)["tasks"].values()
            for _t, status in rows
        ),
        30,
        0.5,
        "every enqueued job to finish",
    )
    faults.report(
        request,
        "Scheduler: two workers, one database",
        window_s=WINDOW,
        interval_s=INTERVAL,
        sweep_interval_s=SWEEP,
        workers=", ".join(end["workers"]),
        last_owners=", ".join(f"{job}: {owner}" for job, (_n, owner) in end["jobs"].items()),
        **figures,
    )
