"""Claims are leases, outcomes are written as each POST returns (#23, items 3 and 4)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from interlink_federation import delivery, recovery
from interlink_federation.models import Delivery, DeliveryState, OutboxActivity
from interlink_federation.tasks import send_activity

pytestmark = pytest.mark.django_db


def fan_out(local_actor, count: int) -> OutboxActivity:
    activity = OutboxActivity.objects.create(
        local_actor=local_actor,
        activity_id=f"{local_actor.actor_id}/activities/lease",
        activity_type="Create",
        document={"type": "Create", "id": f"{local_actor.actor_id}/activities/lease"},
    )
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(
            activity=activity,
            inbox=f"https://h{number}.example/inbox",
            host=f"h{number}.example",
            next_attempt_at=now,
        )
        for number in range(count)
    )
    return activity


def accepted(item, body, key, known=None):
    return delivery.Outcome(item.pk, item.host, 202, "")


def test_a_claim_is_a_small_batch_with_a_lease(local_actor, settings):
    """Ensures that a worker claims FEDERATION_CLAIM_BATCH deliveries, leased to it for
    FEDERATION_LEASE_SECONDS, and leaves the rest of a fan-out in the queue for others."""
    settings.FEDERATION_CLAIM_BATCH = 20
    settings.FEDERATION_LEASE_SECONDS = 10
    fan_out(local_actor, 300)
    before = timezone.now()
    claimed = delivery.claim(Q())
    assert len(claimed) == 20
    rows = Delivery.objects.filter(state=DeliveryState.SENDING)
    assert rows.count() == 20
    assert set(rows.values_list("lease_owner", flat=True)) == {delivery.lease_owner()}
    for expires in rows.values_list("lease_expires", flat=True):
        assert timedelta(seconds=9) < expires - before < timedelta(seconds=11)
    assert Delivery.objects.filter(state=DeliveryState.QUEUED).count() == 280


def test_the_defaults_bring_a_dead_workers_deliveries_back_within_15_s():
    """Ensures the shipped defaults keep the documented bound: lease + sweep interval ≤ 15 s."""
    from interlink_federation.conf import DEFAULTS

    assert DEFAULTS["FEDERATION_LEASE_SECONDS"] + DEFAULTS["FEDERATION_SWEEP_INTERVAL"] <= 15
    assert DEFAULTS["FEDERATION_LEASE_RENEW_INTERVAL"] * 3 <= DEFAULTS["FEDERATION_LEASE_SECONDS"]
    assert DEFAULTS["FEDERATION_CLAIM_BATCH"] <= 50


def test_the_sweep_requeues_expired_leases_only(local_actor, monkeypatch):
    """Ensures that the sweep takes back deliveries whose lease ran out (a dead worker's)
    and leaves alone those whose lease is current (a live worker's)."""
    monkeypatch.setattr("interlink_federation.recovery.enqueue_once", lambda task: True)
    fan_out(local_actor, 4)
    claimed = delivery.claim(Q())
    dead, live = claimed[:2], claimed[2:]
    Delivery.objects.filter(pk__in=[d.pk for d in dead]).update(
        lease_expires=timezone.now() - timedelta(seconds=1)
    )
    assert recovery.sweep()["recovered"] == 2
    states = dict(Delivery.objects.values_list("pk", "state"))
    assert {states[d.pk] for d in dead} == {DeliveryState.QUEUED}
    assert {states[d.pk] for d in live} == {DeliveryState.SENDING}
    assert Delivery.objects.get(pk=dead[0].pk).lease_owner == ""


def test_a_live_workers_lease_is_renewed_for_as_long_as_it_sends(
    local_actor, settings, monkeypatch
):
    """Ensures that a batch that takes longer than the lease keeps it: the lease is renewed
    while the POSTs run, so the sweep finds nothing to take back at any moment."""
    settings.FEDERATION_LEASE_SECONDS = 1
    settings.FEDERATION_LEASE_RENEW_INTERVAL = 0.2
    monkeypatch.setattr("interlink_federation.recovery.enqueue_once", lambda task: True)
    fan_out(local_actor, 3)
    claimed = delivery.claim(Q())
    started = time.monotonic()
    checks: list[tuple[float, int]] = []
    real_renew = delivery.renew_leases

    def renew_then_sweep(ids):
        renewed = real_renew(ids)
        checks.append((time.monotonic() - started, recovery.sweep()["recovered"]))
        return renewed

    def slow(item, body, key, known=None):
        time.sleep(2.5)  # two and a half leases
        return accepted(item, body, key)

    monkeypatch.setattr(delivery, "renew_leases", renew_then_sweep)
    monkeypatch.setattr(delivery, "_send", slow)
    delivery.send_claimed(claimed)
    assert checks and checks[-1][0] > 2.0, checks
    assert all(recovered == 0 for _when, recovered in checks), checks
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED}


def test_without_renewal_the_same_batch_would_be_taken_back(local_actor, settings, monkeypatch):
    """The control of the test above: a lease that is not renewed expires and is swept."""
    settings.FEDERATION_LEASE_SECONDS = 0.3
    monkeypatch.setattr("interlink_federation.recovery.enqueue_once", lambda task: True)
    fan_out(local_actor, 2)
    delivery.claim(Q())
    time.sleep(0.5)
    assert recovery.sweep()["recovered"] == 2


def test_at_most_the_thread_count_is_ever_sent_but_unrecorded(local_actor, settings, monkeypatch):
    """Ensures that each outcome is written as soon as its POST returns and that a new POST
    starts only after that: a crash at any moment repeats at most
    FEDERATION_DELIVERY_THREADS deliveries."""
    settings.FEDERATION_DELIVERY_THREADS = 4
    fan_out(local_actor, 40)
    claimed = delivery.claim(Q(), limit=40)
    lock = threading.Lock()
    outstanding: set[int] = set()  # POST started (or returned) but outcome not written
    worst = [0]
    real_record = delivery.record

    def fast(item, body, key, known=None):
        with lock:
            outstanding.add(item.pk)
            worst[0] = max(worst[0], len(outstanding))
        time.sleep(0.005)
        return accepted(item, body, key)

    def watching_record(outcomes, tracked=None):
        real_record(outcomes, tracked)
        with lock:
            outstanding.difference_update(outcome.delivery_id for outcome in outcomes)

    monkeypatch.setattr(delivery, "_send", fast)
    monkeypatch.setattr(delivery, "record", watching_record)
    outcomes = delivery.send_claimed(claimed)
    assert len(outcomes) == 40
    assert worst[0] <= 4, worst
    assert Delivery.objects.filter(state=DeliveryState.DELIVERED).count() == 40


def test_each_outcome_is_its_own_write(local_actor, monkeypatch):
    """Ensures outcomes are not grouped: one record() call per delivery, in finishing order."""
    fan_out(local_actor, 10)
    claimed = delivery.claim(Q())
    sizes: list[int] = []
    real_record = delivery.record

    def watching_record(outcomes, tracked=None):
        sizes.append(len(outcomes))
        real_record(outcomes, tracked)

    monkeypatch.setattr(delivery, "_send", accepted)
    monkeypatch.setattr(delivery, "record", watching_record)
    delivery.send_claimed(claimed)
    assert sizes == [1] * 10


def test_a_fan_out_larger_than_a_batch_is_sent_in_batches(local_actor, settings, monkeypatch):
    """Ensures that the fan-out task claims batch after batch until every delivery is sent."""
    settings.FEDERATION_CLAIM_BATCH = 20
    activity = fan_out(local_actor, 45)
    claims: list[int] = []
    real_claim = delivery.claim

    def counting_claim(delivery_filter, limit=None):
        claimed = real_claim(delivery_filter, limit)
        claims.append(len(claimed))
        return claimed

    monkeypatch.setattr(delivery, "claim", counting_claim)
    monkeypatch.setattr(delivery, "_send", accepted)
    assert send_activity.call(activity.pk) == 45
    assert claims == [20, 20, 5, 0]
    assert Delivery.objects.filter(state=DeliveryState.DELIVERED).count() == 45


def test_an_unexpected_error_while_sending_is_a_failed_attempt(local_actor, monkeypatch):
    """Ensures that a bug in one POST is recorded as a failure to retry, not a stranded lease."""
    fan_out(local_actor, 2)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(delivery.client, "post_activity", broken)
    delivery.send_claimed(delivery.claim(Q()))
    rows = Delivery.objects.all()
    assert set(rows.values_list("state", flat=True)) == {DeliveryState.RETRYING}
    assert all("boom" in error for error in rows.values_list("last_error", flat=True))
    assert set(rows.values_list("lease_owner", flat=True)) == {""}


def test_a_retry_sends_the_same_activity_id(local_actor, listener, settings):
    """Ensures that a retried delivery carries the activity id of the first attempt, so the
    receiver can recognise the repeat (our own inbox does: test_inbox.py,
    test_duplicate_activity_processed_once)."""
    import json

    settings.FEDERATION_ALLOW_LOOPBACK = True
    activity = OutboxActivity.objects.create(
        local_actor=local_actor,
        activity_id=f"{local_actor.actor_id}/activities/again",
        activity_type="Create",
        document={"type": "Create", "id": f"{local_actor.actor_id}/activities/again"},
    )
    Delivery.objects.create(
        activity=activity, inbox=f"{listener.base}/inbox", host="127.0.0.1", next_attempt_at=None
    )
    listener.default = (503, {}, b"")
    delivery.send_claimed(delivery.claim(Q()))
    Delivery.objects.update(next_attempt_at=timezone.now())
    listener.default = (202, {}, b"")
    delivery.send_claimed(delivery.claim(Q()))
    posts = [hit for hit in listener.hits if hit["method"] == "POST"]
    assert len(posts) == 2
    assert {json.loads(hit["body"])["id"] for hit in posts} == {activity.activity_id}
