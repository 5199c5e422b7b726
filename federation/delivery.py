"""Fan-out, retries with exponential backoff, and the per-host failure tracker.

Delivery rows are the source of truth. A task only says "look at these deliveries";
claiming takes a small batch (``FEDERATION_CLAIM_BATCH``) of due deliveries with one
conditional UPDATE (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers
share a fan-out) and gives it a *lease*: ``lease_owner`` (this process) and
``lease_expires``. While the batch is sent the lease is renewed every
``FEDERATION_LEASE_RENEW_INTERVAL`` seconds, so a live worker keeps its deliveries however
long they take; a dead worker's lease runs out and ``recovery.sweep()`` re-queues them.

Each delivery's outcome is written as soon as its POST returns, and a new POST starts only
after that, so at any moment at most ``FEDERATION_DELIVERY_THREADS`` deliveries are sent
but not recorded: a crash repeats at most that many. Activity ids never change, so a
resend is deduplicated by the receiver (our inbox ignores a repeated id).

A paused host's due deliveries are *parked* until the pause ends (``next_attempt_at``); when
the host answers again, or staff press "retry now" for it, every waiting delivery of it
(queued or retrying) is due at once. Deliveries to a blocked server or actor are
``cancelled`` (a visible state), never sent.
"""

from __future__ import annotations

import json
import logging
import os
import random
import socket
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import client, knocking, signatures
from .blocklist import is_blocked
from .conf import setting
from .models import Delivery, DeliveryState, HostHealth, OutboxActivity

logger = logging.getLogger(__name__)

DUE_STATES = (DeliveryState.QUEUED, DeliveryState.RETRYING)
# Not yet delivered nor given up: what a block cancels and what the host view counts.
WAITING_STATES = (DeliveryState.QUEUED, DeliveryState.RETRYING, DeliveryState.SENDING)
BLOCKED_ERROR = "cancelled: the server or actor is blocked"
# Answers that will not change by retrying (Mastodon treats most 4xx the same way).
PERMANENT_STATUSES = {400, 403, 404, 405, 410, 413, 414, 422}
# Of the 4xx, these say nothing about the activity itself; any other 4xx is a refusal of it
# (such as "400 Invalid activity"), whose answer is kept for staff (``response_body``).
NOT_REFUSALS = {401, 403, 404, 410}
REFUSAL_BODY_CHARS = 10_000


@dataclass
class Outcome:
    delivery_id: int
    host: str
    status: int | None
    error: str
    body: str = ""  # a refusal's answer, in full (up to REFUSAL_BODY_CHARS)
    learned: signatures.Scheme | None = None  # the signature scheme the host now accepts

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def lease_owner() -> str:
    """This process, as named in the leases it holds (the pid changes in a forked child)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_until(now: datetime) -> datetime:
    return now + timedelta(seconds=float(setting("FEDERATION_LEASE_SECONDS")))


def is_refusal(status: int | None) -> bool:
    return status is not None and 400 <= status < 500 and status not in NOT_REFUSALS


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
        state=DeliveryState.CANCELLED,
        next_attempt_at=None,
        last_error=reason,
        claim_token="",
        lease_owner="",
        lease_expires=None,
    )


def _cancel_blocked(due: QuerySet[Delivery]) -> None:
    """Due deliveries whose inbox is on the blocklist are cancelled instead of claimed (the
    block itself cancels what was waiting; this catches anything created since)."""
    inboxes = set(due.values_list("inbox", flat=True).distinct())
    blocked = [inbox for inbox in inboxes if is_blocked(inbox)]
    if blocked:
        cancelled = cancel_deliveries(due.filter(inbox__in=blocked))
        logger.info("Delivery: %s deliveries to blocked inboxes cancelled", cancelled)


def claim(delivery_filter: Q, limit: int | None = None) -> list[Delivery]:
    """Leases at most ``limit`` (``FEDERATION_CLAIM_BATCH``) due deliveries to this process;
    returns only those this call won (another worker skips rows locked by this one)."""
    now = timezone.now()
    limit = limit or int(setting("FEDERATION_CLAIM_BATCH"))
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
    with transaction.atomic():
        chosen = list(
            due.exclude(host__in=list(paused))
            .order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not chosen:
            return []
        Delivery.objects.filter(pk__in=chosen, state__in=DUE_STATES).update(
            state=DeliveryState.SENDING,
            claim_token=token,
            claimed_at=now,
            lease_owner=lease_owner(),
            lease_expires=lease_until(now),
        )
    claimed = list(Delivery.objects.filter(claim_token=token))
    # Each activity (its document, actor and key) is read once, not joined into every one of
    # its deliveries: a fan-out claims many deliveries of one activity. The signing key id
    # reads the actor's site root URL, so the site comes in the same query.
    activities = OutboxActivity.objects.select_related("local_actor__site").in_bulk(
        {delivery.activity_id for delivery in claimed}
    )
    for delivery in claimed:
        delivery.activity = activities[delivery.activity_id]
    return claimed


def renew_leases(delivery_ids: Iterable[int]) -> int:
    """The heartbeat of a batch being sent: its unrecorded deliveries stay this process's."""
    return Delivery.objects.filter(
        pk__in=list(delivery_ids), state=DeliveryState.SENDING, lease_owner=lease_owner()
    ).update(lease_expires=lease_until(timezone.now()))


def _send(
    delivery: Delivery,
    body: bytes,
    key: signatures.SigningKey,
    known: signatures.Scheme | None = None,
) -> Outcome:
    try:
        knock = knocking.post(delivery.inbox, body, key, known)
    except client.FetchError as failure:
        return Outcome(delivery.pk, delivery.host, None, str(failure)[:1000])
    except Exception as failure:  # recorded as a failed attempt and retried later
        logger.exception("Delivery: sending to %s failed unexpectedly", delivery.inbox)
        return Outcome(delivery.pk, delivery.host, None, f"unexpected error: {failure!r}"[:1000])
    response = knock.response
    detail = "" if response.ok else response.body[:300].decode("utf-8", "replace")
    kept = response.body.decode("utf-8", "replace")[:REFUSAL_BODY_CHARS]
    return Outcome(
        delivery.pk,
        delivery.host,
        response.status,
        detail,
        body=kept if is_refusal(response.status) else "",
        learned=knock.learned,
    )


class _Batches:
    """Claimed deliveries waiting for a free thread, topped up by ``claim_more`` (another
    small batch) whenever they run out, so the threads stay busy across batches."""

    def __init__(
        self, deliveries: list[Delivery], claim_more: Callable[[], list[Delivery]] | None
    ) -> None:
        self.waiting: deque[Delivery] = deque()
        self.claim_more = claim_more
        self.unrecorded: set[int] = set()
        self.tracked: set[str] = set()  # hosts with a failure record
        self.bodies: dict[int, tuple[bytes, signatures.SigningKey]] = {}
        self.schemes: dict[str, signatures.Scheme] = {}  # what each host accepted last
        self.add(deliveries)

    def add(self, deliveries: list[Delivery]) -> None:
        self.waiting.extend(deliveries)
        self.unrecorded.update(delivery.pk for delivery in deliveries)
        hosts = {delivery.host for delivery in deliveries}
        # Every host we delivered to has a row (its remembered signature scheme); only those
        # with failures need a write when a delivery to them succeeds.
        failing = Q(consecutive_failures__gt=0) | Q(paused_until__isnull=False)
        self.tracked.update(
            HostHealth.objects.filter(failing, host__in=hosts).values_list("host", flat=True)
        )
        self.schemes.update(knocking.known_schemes(hosts))

    def next_job(
        self,
    ) -> tuple[Delivery, bytes, signatures.SigningKey, signatures.Scheme | None] | None:
        if not self.waiting and self.claim_more is not None:
            more = self.claim_more()
            if more:
                self.add(more)
            else:
                self.claim_more = None  # nothing left due: stop asking
        if not self.waiting:
            return None
        delivery = self.waiting.popleft()
        activity = delivery.activity
        if activity.pk not in self.bodies:
            # Each activity is encoded and its key loaded once, however many deliveries.
            self.bodies[activity.pk] = (
                json.dumps(activity.document).encode(),
                signatures.SigningKey(
                    activity.local_actor.key_id, activity.local_actor.private_key_pem
                ),
            )
        return (delivery, *self.bodies[activity.pk], self.schemes.get(delivery.host))


def send_claimed(
    deliveries: list[Delivery], claim_more: Callable[[], list[Delivery]] | None = None
) -> list[Outcome]:
    """Signs and POSTs claimed deliveries concurrently, recording each outcome at once;
    with ``claim_more``, claims further batches as threads free up until nothing is due.

    At most ``FEDERATION_DELIVERY_THREADS`` POSTs run at a time, and the next one starts
    only after a finished one's outcome is written: a crash leaves at most that many sent
    but unrecorded. While they run, the leases of the unrecorded ones are renewed every
    ``FEDERATION_LEASE_RENEW_INTERVAL`` seconds (even when every POST hangs until its
    timeout), so the sweep never takes work from a live worker.
    """
    batches = _Batches(deliveries, claim_more)
    threads = max(1, int(setting("FEDERATION_DELIVERY_THREADS")))
    renew_every = float(setting("FEDERATION_LEASE_RENEW_INTERVAL"))
    outcomes: list[Outcome] = []
    renewed_at = time.monotonic()
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="delivery") as pool:
        running: set[Future[Outcome]] = set()
        while len(running) < threads and (job := batches.next_job()) is not None:
            running.add(pool.submit(_send, *job))
        while running:
            done, running = wait(running, timeout=renew_every, return_when=FIRST_COMPLETED)
            for future in done:
                outcome = future.result()
                record([outcome], batches.tracked)
                if not outcome.ok:
                    batches.tracked.add(outcome.host)
                if outcome.learned:
                    batches.schemes[outcome.host] = outcome.learned
                batches.unrecorded.discard(outcome.delivery_id)
                outcomes.append(outcome)
                if (job := batches.next_job()) is not None:
                    running.add(pool.submit(_send, *job))
            if batches.unrecorded and time.monotonic() - renewed_at >= renew_every:
                renew_leases(batches.unrecorded)
                renewed_at = time.monotonic()
    return outcomes


def record(outcomes: list[Outcome], tracked: set[str] | None = None) -> None:
    """Writes outcomes: successes in one UPDATE, failures one by one, then host health
    (for successes, only of the ``tracked`` hosts when given: those with a failure record)."""
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
            response_body="",
            claim_token="",
            lease_owner="",
            lease_expires=None,
        )
    knocking.remember({outcome.host: outcome.learned for outcome in outcomes if outcome.learned})
    failures: dict[str, str] = {}
    for outcome in outcomes:
        if not outcome.ok:
            failures[outcome.host] = _record_failure(outcome, now)
    succeeded_hosts = {outcome.host for outcome in succeeded}
    hosts_succeeded(succeeded_hosts if tracked is None else succeeded_hosts & tracked, now)
    for host in set(failures) - succeeded_hosts:
        host_failed(host, now, failures[host])


def _record_failure(outcome: Outcome, now: datetime) -> str:
    """Records one failed attempt; returns the error as recorded."""
    delivery = Delivery.objects.get(pk=outcome.delivery_id)
    delivery.attempts += 1
    delivery.last_status = outcome.status
    delivery.last_error = outcome.error or f"HTTP {outcome.status}"
    delivery.response_body = outcome.body
    delivery.first_failed_at = delivery.first_failed_at or now
    delivery.claim_token = ""
    delivery.lease_owner, delivery.lease_expires = "", None
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
