"""Deliveries: signed POSTs, retries with backoff, giving up after 48 h, host pauses, recovery."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from bovine.crypto.types import CryptographicIdentifier
from django.db.models import Q
from django.utils import timezone

from interlink_federation import delivery, recovery, signatures
from interlink_federation.models import (
    Delivery,
    DeliveryState,
    Follower,
    FollowState,
    HostHealth,
    OutboxActivity,
    RemoteActor,
)
from interlink_federation.tasks import send_activity


@pytest.fixture
def loopback(settings):
    settings.FEDERATION_ALLOW_LOOPBACK = True
    settings.FEDERATION_RETRY_BASE_SECONDS = 30
    settings.FEDERATION_HOST_PAUSE_AFTER = 3


@pytest.fixture
def listener_followers(local_actor, listener, loopback):
    """Ensures two followers on the loopback listener: one via a shared inbox, one personal."""
    for number, shared in enumerate([f"{listener.base}/inbox", ""]):
        remote = RemoteActor.objects.create(
            uri=f"{listener.base}/users/{number}",
            domain="127.0.0.1",
            inbox=f"{listener.base}/users/{number}/inbox",
            shared_inbox=shared,
        )
        Follower.objects.create(
            local_actor=local_actor,
            remote_actor=remote,
            state=FollowState.ACCEPTED,
            follow_activity_id=f"{listener.base}/follows/{number}",
        )


def test_fanout_posts_signed_activity_to_each_inbox(
    local_actor, listener, listener_followers, make_call, django_capture_on_commit_callbacks
):
    """Ensures that publishing delivers one signed POST per inbox that verifies with our key."""
    with django_capture_on_commit_callbacks(execute=True):
        call = make_call()
    posts = [hit for hit in listener.hits if hit["method"] == "POST"]
    assert sorted(hit["path"] for hit in posts) == ["/inbox", "/users/1/inbox"]
    identifier = CryptographicIdentifier.from_pem(local_actor.public_key_pem, local_actor.actor_id)
    for hit in posts:
        headers = {name.lower(): value for name, value in hit["headers"].items()}
        assert headers["content-type"] == "application/activity+json"
        owner = signatures.verify_request(
            "POST",
            f"{listener.base}{hit['path']}",
            headers,
            hit["body"],
            lambda key_id, refresh: identifier,
        )
        assert owner == local_actor.actor_id
        assert str(call.uuid) in hit["body"].decode()
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED}


def test_duplicate_tasks_send_once(local_actor, listener, listener_followers, make_call):
    """Ensures that running the fan-out task twice POSTs each inbox once (claims are atomic)."""
    make_call()
    activity_pk = Delivery.objects.first().activity_id
    send_activity.call(activity_pk)
    send_activity.call(activity_pk)
    assert len([hit for hit in listener.hits if hit["method"] == "POST"]) == 2


def test_failure_retries_with_exponential_backoff(
    local_actor, listener, listener_followers, make_call, monkeypatch
):
    """Ensures that a 503 makes the delivery retry later, each time twice as late (±10 %
    jitter), measured against a stopped clock rather than the time the test takes."""
    listener.default = (503, {}, b"busy")
    make_call()
    one = Delivery.objects.order_by("pk").first()
    now = timezone.now()
    monkeypatch.setattr(delivery.timezone, "now", lambda: now)
    delays = []
    for _attempt in range(3):
        Delivery.objects.filter(pk=one.pk).update(next_attempt_at=now)
        HostHealth.objects.update(paused_until=None)
        delivery.send_claimed(delivery.claim(Q(pk=one.pk)))
        one.refresh_from_db()
        assert one.state == DeliveryState.RETRYING and one.last_status == 503
        delays.append((one.next_attempt_at - now).total_seconds())
    assert one.attempts == 3
    assert 27 <= delays[0] <= 33 and 54 <= delays[1] <= 66 and 108 <= delays[2] <= 132
    assert one.first_failed_at == now


def test_gives_up_only_after_48_hours(local_actor, listener, listener_followers, make_call):
    """Ensures that failures turn into 'failed' only once 48 hours have passed since the first."""
    listener.default = (500, {}, b"")
    make_call()
    one = Delivery.objects.order_by("pk").first()
    Delivery.objects.filter(pk=one.pk).update(
        first_failed_at=timezone.now() - timedelta(hours=47), attempts=9
    )
    delivery.send_claimed(delivery.claim(Q(pk=one.pk)))
    one.refresh_from_db()
    assert one.state == DeliveryState.RETRYING
    Delivery.objects.filter(pk=one.pk).update(
        first_failed_at=timezone.now() - timedelta(hours=48, minutes=1),
        next_attempt_at=timezone.now(),
    )
    HostHealth.objects.update(paused_until=None)
    delivery.send_claimed(delivery.claim(Q(pk=one.pk)))
    one.refresh_from_db()
    assert one.state == DeliveryState.FAILED


def test_gone_is_permanent(local_actor, listener, listener_followers, make_call):
    """Ensures that 410 Gone fails the delivery at once instead of retrying."""
    listener.default = (410, {}, b"")
    make_call()
    delivery.send_claimed(delivery.claim(Q()))
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.FAILED}


def test_backoff_is_capped(settings):
    """Ensures that the delay doubles but never exceeds the cap."""
    settings.FEDERATION_RETRY_BASE_SECONDS = 30
    settings.FEDERATION_RETRY_MAX_DELAY = 3600
    assert delivery.retry_delay(30).total_seconds() <= 3600 * 1.1
    assert 27 <= delivery.retry_delay(1).total_seconds() <= 33


def test_dead_host_paused_then_resumed(
    local_actor, listener, listener_followers, make_call, make_asset
):
    """Ensures that a host failing repeatedly is paused (no requests) and resumes when it answers."""
    listener.default = (503, {}, b"")
    make_call()
    for _round in range(3):
        Delivery.objects.update(next_attempt_at=timezone.now())
        delivery.send_claimed(delivery.claim(Q()))
    health = HostHealth.objects.get(host=f"127.0.0.1:{listener.port}")
    assert health.paused_until is not None and health.paused_until > timezone.now()
    assert health.failing_since is not None
    hits = len(listener.hits)
    Delivery.objects.update(next_attempt_at=timezone.now())
    assert delivery.claim(Q()) == []
    assert len(listener.hits) == hits
    # The pause ends; the host answers again; everything waiting for it is due at once.
    listener.default = (202, {}, b"")
    HostHealth.objects.update(paused_until=timezone.now() - timedelta(seconds=1))
    first = Delivery.objects.order_by("pk").first()
    Delivery.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    Delivery.objects.exclude(pk=first.pk).update(
        next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    delivery.send_claimed(delivery.claim(Q(pk=first.pk)))
    health.refresh_from_db()
    assert health.consecutive_failures == 0 and health.paused_until is None
    assert Delivery.objects.filter(state=DeliveryState.DELIVERED).count() >= 1
    waiting = Delivery.objects.exclude(pk=first.pk).first()
    assert waiting.state == DeliveryState.DELIVERED or waiting.next_attempt_at <= timezone.now()


def test_sweep_recovers_deliveries_of_a_killed_worker(
    local_actor, listener, listener_followers, make_call, settings
):
    """Ensures that deliveries left 'sending' by a dead worker are sent again by the sweep."""
    make_call()
    claimed = delivery.claim(Q())  # the worker claims… and dies before sending
    assert len(claimed) == 2 and listener.hits == []
    assert recovery.sweep()["recovered"] == 0  # its lease still runs: not declared lost
    Delivery.objects.update(lease_expires=timezone.now() - timedelta(seconds=1))
    result = recovery.sweep()
    assert result["recovered"] == 2
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED}
    assert len([hit for hit in listener.hits if hit["method"] == "POST"]) == 2


def test_retry_now(
    local_actor, listener, listener_followers, make_call, django_capture_on_commit_callbacks
):
    """Ensures that "retry now" sends a retrying delivery immediately, lifting the host pause."""
    listener.default = (503, {}, b"")
    make_call()
    delivery.send_claimed(delivery.claim(Q()))
    one = Delivery.objects.order_by("pk").first()
    assert one.state == DeliveryState.RETRYING
    HostHealth.objects.update(paused_until=timezone.now() + timedelta(hours=1))
    listener.default = (202, {}, b"")
    with django_capture_on_commit_callbacks(execute=True):
        delivery.retry_now(one)
    one.refresh_from_db()
    assert one.state == DeliveryState.DELIVERED


def test_sweep_command(local_actor, listener, listener_followers, make_call, settings):
    """Ensures that `manage.py federation_sweep` recovers stale deliveries and reports counts."""
    from io import StringIO

    from django.core.management import call_command

    make_call()
    delivery.claim(Q())
    Delivery.objects.update(lease_expires=timezone.now() - timedelta(seconds=1))
    out = StringIO()
    call_command("federation_sweep", stdout=out)
    assert out.getvalue().startswith("2 recovered")
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED}


def test_worker_command_accepts_db_worker_options(settings):
    """Ensures that federation_worker is db_worker with the same options (plus the sweep)."""
    from django.core.management import load_command_class

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    command = load_command_class("interlink_federation", "federation_worker")
    parser = command.create_parser("manage.py", "federation_worker")
    options = parser.parse_args(
        ["--queue-name", "*", "--interval", "0.05", "--no-startup-delay", "--batch"]
    )
    assert options.interval == 0.05 and options.batch


def _activity_with_deliveries(local_actor, count: int) -> OutboxActivity:
    activity = OutboxActivity.objects.create(
        local_actor=local_actor,
        activity_id=f"{local_actor.actor_id}/activities/bench",
        activity_type="Create",
        document={"type": "Create", "id": f"{local_actor.actor_id}/activities/bench"},
    )
    Delivery.objects.bulk_create(
        Delivery(activity=activity, inbox=f"https://h{number}.example/inbox", host=f"h{number}")
        for number in range(count)
    )
    return activity


def test_claimed_deliveries_sign_without_a_query_each(local_actor, django_assert_num_queries):
    """Ensures that reading the signing key of claimed deliveries costs no query per delivery
    (the key id reads the site's root URL, which claim() fetches with the rows)."""
    activity = _activity_with_deliveries(local_actor, 20)
    claimed = delivery.claim(Q(activity_id=activity.pk))
    assert len(claimed) == 20
    with django_assert_num_queries(0):
        key_ids = {item.activity.local_actor.key_id for item in claimed}
    assert key_ids == {local_actor.key_id}


def test_a_fan_out_reads_its_activity_once(local_actor):
    """Ensures that the deliveries of one activity share one loaded activity (its document
    decoded once), rather than a copy joined into each of hundreds of rows."""
    activity = _activity_with_deliveries(local_actor, 30)
    claimed = delivery.claim(Q(activity_id=activity.pk), limit=30)
    assert len(claimed) == 30
    assert len({id(item.activity) for item in claimed}) == 1
    assert claimed[0].activity.document == activity.document


def test_outcomes_recorded_while_a_slow_inbox_is_still_answering(local_actor, monkeypatch):
    """Ensures that finished deliveries are recorded before a slow inbox of the same batch
    answers, so a worker killed meanwhile would not re-send to the inboxes already served."""
    activity = _activity_with_deliveries(local_actor, 6)
    claimed = delivery.claim(Q(activity_id=activity.pk))
    slow = claimed[0]
    recorded_batches: list[set[int]] = []
    fast_recorded = threading.Event()
    recorded_before_slow_answered: list[bool] = []
    real_record = delivery.record

    def watching_record(outcomes, tracked=None):
        recorded_batches.append({outcome.delivery_id for outcome in outcomes})
        real_record(outcomes, tracked)
        if {item.pk for item in claimed[1:]} <= set().union(*recorded_batches):
            fast_recorded.set()

    def fake_send(item, body, key, known=None):
        if item.pk == slow.pk:
            recorded_before_slow_answered.append(fast_recorded.wait(timeout=5))
        return delivery.Outcome(item.pk, item.host, 202, "")

    monkeypatch.setattr(delivery, "record", watching_record)
    monkeypatch.setattr(delivery, "_send", fake_send)
    delivery.send_claimed(claimed)
    assert recorded_before_slow_answered == [True]
    batches = [batch for batch in recorded_batches if batch]
    assert slow.pk in batches[-1]
    assert all(slow.pk not in batch for batch in batches[:-1])
    states = set(Delivery.objects.filter(activity=activity).values_list("state", flat=True))
    assert states == {DeliveryState.DELIVERED}


def test_parked_deliveries_resume_when_the_host_answers(
    local_actor, listener, listener_followers, make_call, django_capture_on_commit_callbacks
):
    """Ensures that deliveries claim() parked until a pause's end (still 'queued') are due
    at once when the host answers again, not only the 'retrying' ones."""
    host = f"127.0.0.1:{listener.port}"
    until = timezone.now() + timedelta(hours=2)
    HostHealth.objects.create(host=host, consecutive_failures=5, paused_until=until)
    with django_capture_on_commit_callbacks(execute=True):
        make_call()  # the fan-out finds the host paused: both deliveries are parked
    parked = list(Delivery.objects.order_by("pk"))
    assert {row.state for row in parked} == {DeliveryState.QUEUED}
    assert all(row.next_attempt_at == until for row in parked)
    assert listener.hits == []
    first, second = parked
    with django_capture_on_commit_callbacks(execute=True):
        delivery.retry_now(first)  # staff retry one; the host answers 202
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == DeliveryState.DELIVERED
    assert second.state == DeliveryState.DELIVERED or second.next_attempt_at <= timezone.now()
    health = HostHealth.objects.get(host=host)
    assert health.paused_until is None and health.consecutive_failures == 0


def test_retry_host_now_requeues_everything_waiting(
    local_actor, listener, listener_followers, make_call, django_capture_on_commit_callbacks
):
    """Ensures that "retry now" for a host lifts its pause and sends its parked and retrying
    deliveries at once."""
    host = f"127.0.0.1:{listener.port}"
    until = timezone.now() + timedelta(hours=2)
    health = HostHealth.objects.create(host=host, consecutive_failures=5, paused_until=until)
    make_call()
    first = Delivery.objects.order_by("pk").first()
    Delivery.objects.filter(pk=first.pk).update(state=DeliveryState.RETRYING, attempts=4)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.retry_host_now(health) == 2
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED}
    assert len([hit for hit in listener.hits if hit["method"] == "POST"]) == 2
    health.refresh_from_db()
    assert health.paused_until is None


def test_failure_records_the_hosts_last_error(local_actor, listener, listener_followers, make_call):
    """Ensures that the host tracker keeps the last error for the admin."""
    listener.default = (503, {}, b"busy")
    make_call()
    delivery.send_claimed(delivery.claim(Q()))
    health = HostHealth.objects.get(host=f"127.0.0.1:{listener.port}")
    assert health.last_error == "busy" and health.failing_since is not None
