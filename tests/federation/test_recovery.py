"""The worker rides out database loss; /readyz and the admin's status page (#23, 1 and 6)."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from interlink_federation import recovery
from interlink_federation.management.commands import federation_worker
from interlink_federation.management.commands.federation_worker import Outage, Worker, every
from interlink_federation.models import (
    Delivery,
    DeliveryState,
    HostHealth,
    InboxMessage,
    OutboxActivity,
    WorkerHeartbeat,
)

pytestmark = pytest.mark.django_db

SHUTDOWN = OperationalError("terminating connection due to administrator command")


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """The worker closes broken connections; the test's own (in its transaction) stays."""
    monkeypatch.setattr(federation_worker, "drop_connections", lambda: None)


def new_worker() -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0.01,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def test_the_worker_loop_never_exits_on_a_database_error(monkeypatch, caplog):
    """Ensures that django_tasks_db's loop, which raises on a lost connection, is restarted
    after a backoff (growing) until the database answers, with one log line for the outage
    and one for its end."""
    runs, sleeps = [], []

    def flaky_run(self):
        runs.append(1)
        if len(runs) <= 4:
            raise SHUTDOWN

    probes = iter([SHUTDOWN, SHUTDOWN, None] * 4)

    def probe_connection():
        error = next(probes)
        if error:
            raise error

    monkeypatch.setattr(db_worker.Worker, "run", flaky_run)
    monkeypatch.setattr(Worker, "_sleep", lambda self, seconds: sleeps.append(seconds))
    monkeypatch.setattr(federation_worker, "database_answers", probe_connection)
    caplog.set_level(logging.INFO, logger=federation_worker.__name__)
    new_worker().run()
    assert len(runs) == 5  # four failures, then the fifth run returned normally
    lines = [r for r in caplog.records if r.name == federation_worker.__name__]
    errors = [r for r in lines if r.levelno == logging.ERROR]
    # Every failed run is followed by a probe that fails twice before the database answers.
    assert len(errors) == 4 and all("database unreachable" in r.getMessage() for r in errors)
    assert len([r for r in lines if "reachable again" in r.getMessage()]) == 4
    assert sleeps[1] > sleeps[0] and sleeps[2] > sleeps[1]  # backoff grows within an outage


def test_an_outage_is_logged_once_however_many_tries(caplog):
    caplog.set_level(logging.INFO, logger=federation_worker.__name__)
    outage = Outage("Sweep")
    delays = [outage.failed(SHUTDOWN) for _ in range(10)]
    outage.succeeded()
    lines = [r.getMessage() for r in caplog.records if r.name == federation_worker.__name__]
    assert len(lines) == 2 and "unreachable" in lines[0] and "reachable again" in lines[1]
    assert max(delays) <= federation_worker.BACKOFF_MAX * 1.2
    assert delays[-1] > delays[0]


def test_the_sweep_and_heartbeat_loops_survive_the_database_going_away(settings, caplog):
    """Ensures the threads of federation_worker keep running through database errors."""
    settings.FEDERATION_SWEEP_INTERVAL = 0.01
    calls = []
    stop = threading.Event()

    def action():
        calls.append(1)
        if 2 <= len(calls) <= 5:
            raise SHUTDOWN
        if len(calls) >= 8:
            stop.set()

    caplog.set_level(logging.INFO, logger=federation_worker.__name__)
    every("Sweep", "FEDERATION_SWEEP_INTERVAL", action, stop)
    assert len(calls) == 8
    lines = [r.getMessage() for r in caplog.records if r.name == federation_worker.__name__]
    assert len(lines) == 2, lines


def test_the_heartbeat_is_recorded():
    started = timezone.now()
    recovery.beat("host:1", started)
    recovery.beat("host:1", started)
    beat = WorkerHeartbeat.objects.get()
    assert beat.worker_id == "host:1" and beat.last_seen >= started


def activity(local_actor) -> OutboxActivity:
    return OutboxActivity.objects.create(
        local_actor=local_actor,
        activity_id=f"{local_actor.actor_id}/activities/r",
        activity_type="Create",
        document={"type": "Create"},
    )


def test_readyz_ready_with_a_fresh_worker_and_nothing_waiting(client):
    recovery.beat("host:1", timezone.now())
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["ready"] is True
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_without_a_worker(client):
    WorkerHeartbeat.objects.create(
        worker_id="dead:1",
        started_at=timezone.now() - timedelta(hours=1),
        last_seen=timezone.now() - timedelta(minutes=5),
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["worker"] == "no heartbeat"


def test_readyz_when_deliveries_do_not_drain(client, local_actor, settings):
    settings.FEDERATION_READY_MAX_LAG = 60
    recovery.beat("host:1", timezone.now())
    Delivery.objects.create(
        activity=activity(local_actor),
        inbox="https://a.example/inbox",
        host="a.example",
        next_attempt_at=timezone.now() - timedelta(minutes=5),
    )
    body = client.get("/readyz").json()
    assert body["ready"] is False and body["deliveries"] == "not draining"
    assert body["due_deliveries"] == 1


def test_readyz_when_the_inbox_does_not_drain(client):
    recovery.beat("host:1", timezone.now())
    message = InboxMessage.objects.create(
        activity_id="https://a.example/1",
        activity_type="Like",
        actor_uri="https://a.example/u",
        body={},
    )
    InboxMessage.objects.filter(pk=message.pk).update(
        received_at=timezone.now() - timedelta(minutes=5)
    )
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["inbox"] == "not draining"


def test_readyz_when_the_database_is_unreachable(client):
    with mock.patch.object(CursorWrapper, "execute", side_effect=SHUTDOWN):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_admin_status_shows_workers_paused_hosts_stuck_work_and_backlog(admin_client, local_actor):
    """Ensures operators see a paused host, each worker's last heartbeat, the oldest stuck
    delivery and the inbox backlog in the Federation menu's status page."""
    recovery.beat("web-1:4242", timezone.now())
    WorkerHeartbeat.objects.create(
        worker_id="web-2:99",
        started_at=timezone.now() - timedelta(hours=2),
        last_seen=timezone.now() - timedelta(hours=1),
    )
    HostHealth.objects.create(
        host="down.example",
        consecutive_failures=7,
        paused_until=timezone.now() + timedelta(minutes=10),
        last_error="connection refused",
    )
    Delivery.objects.create(
        activity=activity(local_actor),
        inbox="https://slow.example/inbox",
        host="slow.example",
        state=DeliveryState.QUEUED,
        next_attempt_at=timezone.now() - timedelta(seconds=300),
    )
    InboxMessage.objects.create(
        activity_id="https://a.example/1",
        activity_type="Like",
        actor_uri="https://a.example/u",
        body={},
    )
    response = admin_client.get("/admin/federation/status/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "web-1:4242" in page and "web-2:99" in page and "no heartbeat for over" in page
    assert "down.example" in page and "connection refused" in page
    assert "the oldest waits for 300 s" in page or "the oldest waits for 301 s" in page
    assert "Inbox backlog" in page
    assert "Federation needs attention" in page
    assert "/admin/federation/status/" in admin_client.get("/admin/").content.decode()


def test_the_sweep_enqueues_one_task_for_everything_due(local_actor, settings):
    """Ensures that the sweep asks for one ``send_due`` task however much is due, and none
    while one is already waiting in the database queue."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    created = activity(local_actor)
    Delivery.objects.bulk_create(
        Delivery(activity=created, inbox=f"https://h{n}.example/inbox", host=f"h{n}.example")
        for n in range(50)
    )
    assert recovery.sweep()["enqueued"] == 1
    assert recovery.sweep()["enqueued"] == 0
    assert DBTaskResult.objects.filter(task_path__endswith="send_due").count() == 1


def test_the_sweep_hands_stuck_inbox_messages_to_the_backlog(settings):
    """Ensures that a message left ``received`` (its wake-up lost in an outage) is handled
    after FEDERATION_INBOX_STUCK_AFTER, and a fresh one is left to its own wake-up."""
    settings.FEDERATION_INBOX_STUCK_AFTER = 10
    message = InboxMessage.objects.create(
        activity_id="https://a.example/1",
        activity_type="Like",
        actor_uri="https://a.example/u",
        body={"id": "https://a.example/1", "type": "Like", "actor": "https://a.example/u"},
    )
    assert recovery.sweep()["inbox"] == 0  # just arrived: its wake-up is on the way
    InboxMessage.objects.filter(pk=message.pk).update(
        received_at=timezone.now() - timedelta(seconds=11)
    )
    assert recovery.sweep()["inbox"] == 1
    message.refresh_from_db()
    assert message.state != "received"
