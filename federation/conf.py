"""Federation settings with their defaults; read at call time so tests can override them."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Loopback is refused unless a test or local demo opens it explicitly.
    "FEDERATION_ALLOW_LOOPBACK": False,
    "FEDERATION_HTTP_TIMEOUT": 10.0,
    "FEDERATION_HTTP_MAX_BYTES": 1024 * 1024,
    "FEDERATION_HTTP_MAX_REDIRECTS": 3,
    "FEDERATION_INBOX_MAX_BYTES": 1024 * 1024,
    "FEDERATION_SIGNATURE_WINDOW": 300,
    # The signature scheme a host we never delivered to is knocked on with first ("rfc9421"
    # or "cavage"); on a 4xx the other one follows, and what a host accepts is remembered
    # (federation/knocking.py).
    "FEDERATION_SIGNATURE_FIRST": "rfc9421",
    "FEDERATION_RETRY_BASE_SECONDS": 30,
    "FEDERATION_RETRY_MAX_DELAY": 6 * 3600,
    "FEDERATION_GIVE_UP_AFTER": 48 * 3600,
    "FEDERATION_HOST_PAUSE_AFTER": 5,
    # Claims are leases (docs/deployment.md, "Leases"): a worker claims at most
    # FEDERATION_CLAIM_BATCH due deliveries at a time with a lease of
    # FEDERATION_LEASE_SECONDS, renewed every FEDERATION_LEASE_RENEW_INTERVAL seconds while
    # they are being sent. The sweep, every FEDERATION_SWEEP_INTERVAL seconds, re-queues
    # deliveries whose lease has expired: a dead worker's deliveries are back in the queue
    # within LEASE_SECONDS + SWEEP_INTERVAL (15 s with these defaults); a live worker's
    # never, however long its fan-out.
    "FEDERATION_CLAIM_BATCH": 20,
    "FEDERATION_LEASE_SECONDS": 10,
    "FEDERATION_LEASE_RENEW_INTERVAL": 3,
    "FEDERATION_SWEEP_INTERVAL": 5,
    # Inbox messages still "received" this long after they arrived get a backlog task from
    # the sweep (the web process's own wake-up was lost, e.g. in a database outage).
    "FEDERATION_INBOX_STUCK_AFTER": 10,
    # federation_worker writes a heartbeat this often; /readyz calls a worker dead when its
    # last heartbeat is older than FEDERATION_WORKER_STALE_AFTER, and the queue not
    # draining when a delivery or inbox message has been due for FEDERATION_READY_MAX_LAG.
    "FEDERATION_WORKER_HEARTBEAT_INTERVAL": 5,
    "FEDERATION_WORKER_STALE_AFTER": 30,
    "FEDERATION_READY_MAX_LAG": 60,
    # /metrics (federation/metrics.py) answers only clients in these networks (CIDRs,
    # matched against REMOTE_ADDR) or bearing this token; neither set: nobody.
    "METRICS_ALLOWED_NETWORKS": [],
    "METRICS_TOKEN": "",
    # Periodic jobs run by federation_worker (federation/scheduler.py), seconds between
    # runs, 0: off. Every worker checks every SCHEDULER_TICK seconds; one of them runs each
    # job per interval. The recovery sweep's interval is FEDERATION_SWEEP_INTERVAL.
    "SCHEDULER_TICK": 1.0,
    "SCHEDULE_DIGEST_INTERVAL": 24 * 3600,
    "SCHEDULE_PRUNE_INTERVAL": 24 * 3600,
    "SCHEDULE_SEARCH_PENDING_INTERVAL": 3600,
    "FEDERATION_DELIVERY_THREADS": 16,
    "FEDERATION_ACTOR_CACHE_SECONDS": 24 * 3600,
    # Per-process caches of the inbox hot path (federation/localcache.py). Changes made in
    # another process are seen after at most this long; the same process sees them at once.
    "FEDERATION_BLOCKLIST_CACHE_SECONDS": 5,
    "FEDERATION_LOCAL_ACTOR_CACHE_SECONDS": 30,
    "FEDERATION_KEY_CACHE_SECONDS": 300,
    # A key document is fetched at most once per this many seconds for an unknown key id,
    # and refetched at most once per this many seconds after a failed verification (shared
    # through Django's cache), so a stream of bad signatures cannot make us fetch endlessly.
    "FEDERATION_KEY_REFETCH_INTERVAL": 300,
    # Inbox budgets per sending actor and per its host (interlink_blocks.throttling; 429 with
    # Retry-After), counted once the signature is verified. Actors in an accepted follow
    # with one of our actors (followers, and those we follow) get the larger "known_*"
    # budgets; everyone else the "stranger_*" ones. An actor's known/stranger standing is
    # remembered per process for FEDERATION_RELATION_CACHE_SECONDS.
    "FEDERATION_INBOX_RATE_LIMITS": {
        "stranger_actor": "30/m",
        "stranger_host": "120/m",
        "known_actor": "300/m",
        "known_host": "1200/m",
    },
    "FEDERATION_RELATION_CACHE_SECONDS": 30,
    # Inbox messages are handled by backlog tasks. A web process enqueues one at once for a
    # message after a quiet spell; when more arrive within the burst window after it, they
    # wait for one trailing task at the end of the interval, so a burst is handled in a few
    # large batches instead of many small ones. 0: one task per message.
    "FEDERATION_INBOX_WAKE_INTERVAL": 0.5,
    "FEDERATION_INBOX_WAKE_BURST_WINDOW": 0.05,
}


def setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
