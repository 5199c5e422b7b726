"""Periodic jobs inside federation_worker: once per interval however many workers (#16, 3)."""

from __future__ import annotations

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from interlink_federation import scheduler
from interlink_federation.management.commands import federation_worker
from interlink_federation.models import ScheduledJob
from interlink_federation.scheduler import JOBS, Job, claim, tick

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0)


def counting_job(name: str = "count", interval_setting: str = "SCHEDULE_PRUNE_INTERVAL"):
    calls: list[int] = []
    return Job(name, interval_setting, inline=lambda: calls.append(1)), calls


def test_two_claimers_one_winner_per_interval(settings):
    """Ensures that of two workers claiming the same due job at the same moment one wins,
    and that the next interval is won once again."""
    settings.SCHEDULE_PRUNE_INTERVAL = 60
    job, _calls = counting_job()
    assert claim(job, "a:1", T0) is True
    assert claim(job, "b:2", T0) is False
    assert claim(job, "b:2", T0 + timedelta(seconds=59)) is False
    later = T0 + timedelta(seconds=60)
    assert [claim(job, "b:2", later), claim(job, "a:1", later)] == [True, False]
    row = ScheduledJob.objects.get(name="count")
    assert row.runs == 2 and row.last_owner == "b:2"
    assert row.next_run == T0 + timedelta(seconds=120)


def test_a_claimer_with_a_stale_read_loses(settings):
    """Ensures that the claim is a compare-and-set: a worker that read the row before the
    winner moved it on (as a concurrent worker does) updates nothing."""
    settings.SCHEDULE_PRUNE_INTERVAL = 60
    job, _calls = counting_job()
    ScheduledJob.objects.create(name="count", next_run=T0)
    stale = ScheduledJob.objects.get(name="count")
    assert claim(job, "a:1", T0) is True
    with mock.patch.object(ScheduledJob.objects, "get_or_create", return_value=(stale, False)):
        assert claim(job, "b:2", T0 + timedelta(seconds=1)) is False
    assert ScheduledJob.objects.get(name="count").runs == 1


def test_two_workers_ticking_run_each_job_once_per_interval(settings):
    """Ensures that two workers ticking every 5 s over ten minutes run a 60 s job ten
    times and a 20 s job thirty, whichever of them wins each interval."""
    settings.SCHEDULE_PRUNE_INTERVAL = 60
    settings.SCHEDULE_DIGEST_INTERVAL = 20
    minute, minute_calls = counting_job("minute", "SCHEDULE_PRUNE_INTERVAL")
    short, short_calls = counting_job("short", "SCHEDULE_DIGEST_INTERVAL")
    winners = set()
    for step in range(120):  # 10 minutes in 5 s steps
        now = T0 + timedelta(seconds=5 * step)
        with mock.patch.object(scheduler.timezone, "now", return_value=now):
            for owner in ("a:1", "b:2") if (step // 4) % 2 else ("b:2", "a:1"):
                if tick(owner, (minute, short)):
                    winners.add(owner)
    assert len(minute_calls) == 10 and len(short_calls) == 30
    assert winners == {"a:1", "b:2"}


def test_commands_are_enqueued_as_tasks(settings):
    """Ensures that a command job is enqueued (django_tasks) once per interval with its
    arguments, and that the sweep runs inline."""
    settings.FEDERATION_SWEEP_INTERVAL = 5
    settings.SCHEDULE_DIGEST_INTERVAL = settings.SCHEDULE_PRUNE_INTERVAL = 86400
    settings.SCHEDULE_SEARCH_PENDING_INTERVAL = 3600
    with (
        mock.patch("django.core.management.call_command") as command,
        mock.patch("interlink_federation.recovery.sweep") as sweep,
    ):
        assert tick("a:1") == [job.name for job in JOBS]
        assert tick("b:2") == []
    assert sweep.call_count == 1
    called = sorted((c.args[0], c.args[1:]) for c in command.call_args_list)
    assert called == [
        ("prune_accounts", ()),
        ("prune_participation_data", ()),
        ("reindex", ("--pending",)),
        ("send_participation_digest", ()),
    ]


def test_the_digest_job_sends_the_digest_and_closing_announcements(settings):
    """Ensures that the scheduled digest is the documented command: digests, closing
    announcements and the interlink_daily_digest hook."""
    settings.SCHEDULE_DIGEST_INTERVAL = 86400
    digest = next(job for job in JOBS if job.name == "participation_digest")
    with (
        mock.patch("interlink_blocks.participation.services.notify.send_digests") as sends,
        mock.patch(
            "interlink_blocks.participation.services.notify.announce_closed_calls"
        ) as closes,
    ):
        sends.return_value = closes.return_value = 0
        assert tick("a:1", (digest,)) == ["participation_digest"]
    assert sends.call_count == 1 and closes.call_count == 1


def test_jobs_switched_off_or_not_installed_are_skipped(settings):
    """Ensures that an interval of 0 switches a job off and that a job whose command no
    app provides is skipped."""
    settings.SCHEDULE_PRUNE_INTERVAL = 0
    settings.SCHEDULE_DIGEST_INTERVAL = 60
    off, calls = counting_job()
    missing = Job("missing", "SCHEDULE_DIGEST_INTERVAL", command="no_such_command")
    assert tick("a:1", (off, missing)) == []
    assert calls == [] and not ScheduledJob.objects.exists()


def test_a_shortened_interval_applies_at_once(settings):
    """Ensures that a job whose stored next run lies beyond a newly shortened interval is
    brought forward instead of waiting out the old one."""
    settings.SCHEDULE_PRUNE_INTERVAL = 60
    job, _calls = counting_job()
    ScheduledJob.objects.create(name="count", next_run=T0 + timedelta(days=1))
    assert claim(job, "a:1", T0) is False
    assert ScheduledJob.objects.get(name="count").next_run == T0 + timedelta(seconds=60)


def test_missed_intervals_are_not_caught_up(settings):
    """Ensures that after workers were away for many intervals the job runs once, then
    one interval later."""
    settings.SCHEDULE_PRUNE_INTERVAL = 60
    job, _calls = counting_job()
    ScheduledJob.objects.create(name="count", next_run=T0)
    back = T0 + timedelta(hours=5)
    assert claim(job, "a:1", back) is True
    assert claim(job, "a:1", back + timedelta(seconds=1)) is False
    assert ScheduledJob.objects.get(name="count").next_run == back + timedelta(seconds=60)


def test_the_worker_runs_the_scheduler(monkeypatch):
    """Ensures that federation_worker's scheduler thread ticks with the worker's id."""
    stop = threading.Event()
    seen = []

    def one_tick(owner):
        seen.append(owner)
        stop.set()

    monkeypatch.setattr(federation_worker, "tick", one_tick)
    monkeypatch.setattr(federation_worker, "drop_connections", lambda: None)
    federation_worker.schedule_forever("host:7", stop)
    assert seen == ["host:7"]
