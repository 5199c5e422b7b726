"""Fan-out, retries with exponential backoff, and the per-host failure tracker.

Delivery rows are the source of truth. A task only says "look at these deliveries";
claiming is one conditional UPDATE (state due → sending, with a claim token), so duplicate
tasks are harmless and a delivery left ``sending`` by a killed worker is re-queued by
``sweep()``. Activity ids never change, so a resend is deduplicated by the receiver.

A paused host's due deliveries are *parked* until the pause ends (``next_attempt_at``); when
the host answers again, or staff press "retry now" for it, every waiting delivery of it
(queued or retrying) is due at once. Deliveries to a blocked server or actor are
``cancelled`` (a visible state), never sent.
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import client, signatures
from .blocklist import is_blocked
from .conf import setting
from .models import Delivery, DeliveryState, HostHealth, InboxMessage, InboxState, OutboxActivity

logger = logging.getLogger(__name__)

DUE_STATES = (DeliveryState.QUEUED, DeliveryState.RETRYING)
# Not yet delivered nor given up: what a block cancels and what the host view counts.
WAITING_STATES = (DeliveryState.QUEUED, DeliveryState.RETRYING, DeliveryState.SENDING)
BLOCKED_ERROR = "cancelled: the server or actor is blocked"
# Answers that will not change by retrying (Mastodon treats most 4xx the same way).
PERMANENT_STATUSES = {400, 403, 404, 405, 410, 413, 414, 422}
# Outcomes are recorded as deliveries finish, grouped this much to keep the UPDATEs few.
RECORD_EVERY = 50
RECORD_INTERVAL = 0.25


@dataclass
class Outcome:
    delivery_id: int
    host: str
    status: int | None
    error: str

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def retry_delay(attempts: int) -> timedelta:
    """``base × 2^(attempts-1)`` capped, with ±10 % jitter so retries do not stampede."""
    base = float(setting("FEDERATION_RETRY_BASE_SECONDS"))
    cap = float(setting("FEDERATION_RETRY_MAX_DELAY"))
    delay = min(cap, base * (2 ** max(0, attempts - 1)))
    return timedelta(seconds=delay * random.uniform(0.9, 1.1))  # noqa: S311 - jitter only


def create_deliveries(activity: OutboxActivity, inboxes: Iterable[str]) -> list[Delivery]:
    """One row per distinct inbox; enqueues the fan-out when the transaction commits."""
    distinct = sorted({inbox for inbox in inboxes if inbox})
    now = timezone.now()
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(activity=activity, inbox=inbox, host=host_of(inbox), next_attempt_at=now)
            for inbox in distinct
        ],
        ignore_conflicts=True,
    )
    if distinct:
        transaction.on_commit(lambda: enqueue_activity(activity.pk))
    return deliveries


def enqueue_activity(activity_pk: int) -> None:
    from .tasks import send_activity

    send_activity.enqueue(activity_pk)


def enqueue_deliveries(delivery_ids: list[int], run_after: datetime | None = None) -> None:
    """Enqueues a send task; without deferral support the sweep finds the rows later."""
    from .tasks import send_deliveries

    if not delivery_ids:
        return
    if run_after is not None and run_after > timezone.now():
        if not send_deliveries.get_backend().supports_defer:
            return
        send_deliveries.using(run_after=run_after).enqueue(delivery_ids)
        return
    send_deliveries.enqueue(delivery_ids)


def _paused_hosts(hosts: set[str], now: datetime) -> dict[str, datetime]:
    paused = HostHealth.objects.filter(host__in=hosts, paused_until__gt=now)
    return {host: until for host, until in paused.values_list("host", "paused_until") if until}


def cancel_deliveries(deliveries: QuerySet[Delivery], reason: str = BLOCKED_ERROR) -> int:
    """Marks waiting deliveries ``cancelled`` (visible in the admin, never sent)."""
    return deliveries.filter(state__in=DUE_STATES).update(
        state=DeliveryState.CANCELLED, next_attempt_at=None, last_error=reason, claim_token=""
    )


def _cancel_blocked(due: QuerySet[Delivery]) -> None:
    """Due deliveries whose inbox is on the blocklist are cancelled instead of claimed (the
    block itself cancels what was waiting; this catches anything created since)."""
    inboxes = set(due.values_list("inbox", flat=True).distinct())
    blocked = [inbox for inbox in inboxes if is_blocked(inbox)]
    if blocked:
        cancelled = cancel_deliveries(due.filter(inbox__in=blocked))
        logger.info("Delivery: %s deliveries to blocked inboxes cancelled", cancelled)


def claim(delivery_filter: Q) -> list[Delivery]:
    """Atomically moves due deliveries to ``sending``; returns only those this call won."""
    now = timezone.now()
    due = Delivery.objects.filter(delivery_filter, state__in=DUE_STATES).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    _cancel_blocked(due)
    hosts = set(due.values_list("host", flat=True).distinct())
    paused = _paused_hosts(hosts, now)
    for host, until in paused.items():
        # A paused host gets no requests; its deliveries wait for the pause to end.
        due.filter(host=host).update(next_attempt_at=until)
        ids = list(due.filter(host=host).values_list("pk", flat=True))
        enqueue_deliveries(ids, run_after=until)
    token = uuid.uuid4().hex
    due.exclude(host__in=list(paused)).update(
        state=DeliveryState.SENDING, claim_token=token, claimed_at=now
    )
    claimed = list(Delivery.objects.filter(claim_token=token))
    # Each activity (its document, actor and key) is read once, not joined into every one of
    # its deliveries: a fan-out claims hundreds of deliveries of one activity. The signing key
    # id reads the actor's site root URL, so the site comes in the same query.
    activities = OutboxActivity.objects.select_related("local_actor__site").in_bulk(
        {delivery.activity_id for delivery in claimed}
    )
    for delivery in claimed:
        delivery.activity = activities[delivery.activity_id]
    return claimed


def _send(delivery: Delivery, body: bytes, key: signatures.SigningKey) -> Outcome:
    try:
        response = client.post_activity(delivery.inbox, body, key)
    except client.FetchError as failure:
        return Outcome(delivery.pk, delivery.host, None, str(failure)[:1000])
    detail = "" if response.ok else response.body[:300].decode("utf-8", "replace")
    return Outcome(delivery.pk, delivery.host, response.status, detail)


def send_claimed(deliveries: list[Delivery]) -> list[Outcome]:
    """Signs and POSTs claimed deliveries concurrently, recording outcomes as they arrive.

    Outcomes are written in small groups as deliveries finish (at most
    ``RECORD_EVERY`` outcomes or ``RECORD_INTERVAL`` seconds late), so one slow inbox does
    not hold back the others and a killed worker re-sends only the unrecorded few.
    """
    if not deliveries:
        return []
    bodies: dict[int, bytes] = {}
    keys: dict[int, signatures.SigningKey] = {}
    jobs = []
    for delivery in deliveries:
        activity = delivery.activity
        if activity.pk not in bodies:
            bodies[activity.pk] = json.dumps(activity.document).encode()
            keys[activity.pk] = signatures.SigningKey(
                activity.local_actor.key_id, activity.local_actor.private_key_pem
            )
        jobs.append((delivery, bodies[activity.pk], keys[activity.pk]))
    threads = max(1, min(int(setting("FEDERATION_DELIVERY_THREADS")), len(jobs)))
    if threads == 1:
        outcomes = []
        for job in jobs:
            outcomes.append(_send(*job))
            record(outcomes[-1:])
        return outcomes
    outcomes = []
    pending: list[Outcome] = []
    last_flush = time.monotonic()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(_send, *job) for job in jobs]
        for future in as_completed(futures):
            pending.append(future.result())
            if len(pending) >= RECORD_EVERY or time.monotonic() - last_flush >= RECORD_INTERVAL:
                record(pending)
                outcomes.extend(pending)
                pending, last_flush = [], time.monotonic()
    record(pending)
    outcomes.extend(pending)
    return outcomes


def record(outcomes: list[Outcome]) -> None:
    """Writes outcomes: successes in one UPDATE, failures one by one, then host health."""
    if not outcomes:
        return
    now = timezone.now()
    succeeded = [outcome for outcome in outcomes if outcome.ok]
    if succeeded:
        Delivery.objects.filter(pk__in=[outcome.delivery_id for outcome in succeeded]).update(
            state=DeliveryState.DELIVERED,
            delivered_at=now,
            last_status=succeeded[0].status,
            last_error="",
            claim_token="",
        )
    failures: dict[str, str] = {}
    for outcome in outcomes:
        if not outcome.ok:
            failures[outcome.host] = _record_failure(outcome, now)
    succeeded_hosts = {outcome.host for outcome in succeeded}
    hosts_succeeded(succeeded_hosts, now)
    for host in set(failures) - succeeded_hosts:
        host_failed(host, now, failures[host])


def _record_failure(outcome: Outcome, now: datetime) -> str:
    """Records one failed attempt; returns the error as recorded."""
    delivery = Delivery.objects.get(pk=outcome.delivery_id)
    delivery.attempts += 1
    delivery.last_status = outcome.status
    delivery.last_error = outcome.error or f"HTTP {outcome.status}"
    delivery.first_failed_at = delivery.first_failed_at or now
    delivery.claim_token = ""
    give_up_after = timedelta(seconds=float(setting("FEDERATION_GIVE_UP_AFTER")))
    if outcome.status in PERMANENT_STATUSES:
        delivery.state = DeliveryState.FAILED
        delivery.next_attempt_at = None
        logger.warning(
            "Delivery: %s refused %s permanently (HTTP %s)",
            delivery.inbox,
            delivery.activity_id,
            outcome.status,
        )
    elif now - delivery.first_failed_at >= give_up_after:
        delivery.state = DeliveryState.FAILED
        delivery.next_attempt_at = None
        logger.warning(
            "Delivery: giving up on %s after %s attempts", delivery.inbox, delivery.attempts
        )
    else:
        delivery.state = DeliveryState.RETRYING
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        logger.info(
            "Delivery: %s failed (%s), retry at %s",
            delivery.inbox,
            delivery.last_error,
            delivery.next_attempt_at,
        )
    delivery.save()
    if delivery.state == DeliveryState.RETRYING:
        enqueue_deliveries([delivery.pk], run_after=delivery.next_attempt_at)
    return delivery.last_error


def host_failed(host: str, now: datetime, error: str = "") -> None:
    health, _created = HostHealth.objects.get_or_create(host=host)
    health.consecutive_failures += 1
    health.failing_since = health.failing_since or now
    health.last_error = error[:1000]
    threshold = int(setting("FEDERATION_HOST_PAUSE_AFTER"))
    if health.consecutive_failures >= threshold:
        health.paused_until = now + retry_delay(health.consecutive_failures - threshold + 1)
        logger.warning("Delivery: pausing %s until %s", host, health.paused_until)
    health.save()


def _requeue_waiting(host: str, now: datetime) -> list[int]:
    """Every delivery waiting for ``host`` is due now: retrying ones and queued ones that
    ``claim()`` parked until the pause's end alike."""
    waiting = Delivery.objects.filter(host=host, state__in=DUE_STATES)
    ids = list(waiting.values_list("pk", flat=True))
    waiting.update(next_attempt_at=now)
    return ids


def hosts_succeeded(hosts: set[str], now: datetime) -> None:
    """Hosts that answer again resume at once: their waiting deliveries are re-queued.

    Only hosts with a failure record are touched, so a large fan-out to healthy hosts
    costs two queries, not one per host.
    """
    if not hosts:
        return
    tracked = HostHealth.objects.filter(host__in=hosts)
    recovering = set(
        tracked.filter(Q(consecutive_failures__gt=0) | Q(paused_until__isnull=False)).values_list(
            "host", flat=True
        )
    )
    tracked.update(
        consecutive_failures=0,
        failing_since=None,
        paused_until=None,
        last_success_at=now,
        last_error="",
    )
    for host in recovering:
        ids = _requeue_waiting(host, now)
        logger.info("Delivery: %s answers again, resuming %s deliveries", host, len(ids))
        enqueue_deliveries(ids)


def retry_now(delivery: Delivery) -> None:
    """Admin "retry now": due immediately, host pause lifted, task enqueued."""
    Delivery.objects.filter(pk=delivery.pk).exclude(
        state__in=(DeliveryState.SENDING, DeliveryState.DELIVERED, DeliveryState.CANCELLED)
    ).update(state=DeliveryState.QUEUED, next_attempt_at=timezone.now())
    HostHealth.objects.filter(host=delivery.host).update(paused_until=None)
    transaction.on_commit(lambda: enqueue_deliveries([delivery.pk]))


def retry_host_now(health: HostHealth) -> int:
    """Admin "retry now" for a host: the pause is lifted and every delivery waiting for it
    (retrying, or queued and parked until the pause's end) is due and enqueued at once.
    The failure count stays, so a host that still fails is paused again after one try."""
    now = timezone.now()
    HostHealth.objects.filter(pk=health.pk).update(paused_until=None)
    ids = _requeue_waiting(health.host, now)
    logger.info("Delivery: %s resumed by staff, %s deliveries due", health.host, len(ids))
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        transaction.on_commit(partial(enqueue_deliveries, chunk))
    return len(ids)


def sweep(chunk: int = 200) -> dict[str, int]:
    """Recovers work a killed worker left behind and enqueues deliveries whose time has come."""
    now = timezone.now()
    stale = now - timedelta(seconds=float(setting("FEDERATION_CLAIM_TIMEOUT")))
    recovered = Delivery.objects.filter(state=DeliveryState.SENDING, claimed_at__lt=stale).update(
        state=DeliveryState.QUEUED, claim_token="", next_attempt_at=now
    )
    due_ids = list(
        Delivery.objects.filter(state__in=DUE_STATES)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("pk", flat=True)
    )
    for start in range(0, len(due_ids), chunk):
        enqueue_deliveries(due_ids[start : start + chunk])
    from .tasks import process_inbox_message

    stuck = list(
        InboxMessage.objects.filter(state=InboxState.RECEIVED, received_at__lt=stale).values_list(
            "pk", flat=True
        )
    )
    for message_id in stuck:
        process_inbox_message.enqueue(message_id)
    if recovered or due_ids or stuck:
        logger.info(
            "Sweep: %s stale deliveries recovered, %s enqueued, %s inbox messages re-enqueued",
            recovered,
            len(due_ids),
            len(stuck),
        )
    return {"recovered": recovered, "enqueued": len(due_ids), "inbox": len(stuck)}
