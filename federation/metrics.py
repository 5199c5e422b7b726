"""``/metrics``: the node's queues in the Prometheus text format, for operators only.

Figures are read from the database at each scrape with a handful of aggregate queries
(one ``GROUP BY`` per table, no rows loaded), so any web process answers for the whole
node. Search timings are per process (``interlink_search.health.SEARCH_SECONDS``), as
prometheus_client keeps them, next to its own process metrics.

Nobody may read it by default: ``METRICS_ALLOWED_NETWORKS`` names client addresses
(CIDRs, matched against ``REMOTE_ADDR`` as the reverse proxy sets it) and
``METRICS_TOKEN`` a bearer token (``Authorization: Bearer …``); either lets a scraper in.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.apps import apps
from django.db import DatabaseError
from django.db.models import Count, Min
from django.http import HttpRequest
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from .conf import setting
from .models import Delivery, DeliveryState, HostHealth, InboxMessage, InboxState, WorkerHeartbeat

logger = logging.getLogger(__name__)

PARTICIPATION_LABEL = "interlink_participation"


def allowed(request: HttpRequest) -> bool:
    """Whether this request may read ``/metrics``: a configured token, or an address in a
    configured network. Nothing configured: nobody."""
    token = str(setting("METRICS_TOKEN") or "")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        if hmac.compare_digest(header[len("Bearer ") :].strip().encode(), token.encode()):
            return True
    try:
        address = ipaddress.ip_address(str(request.META.get("REMOTE_ADDR") or ""))
    except ValueError:
        return False
    for network in setting("METRICS_ALLOWED_NETWORKS") or ():
        try:
            if address in ipaddress.ip_network(str(network), strict=False):
                return True
        except ValueError:
            logger.error("Metrics: %r in METRICS_ALLOWED_NETWORKS is not a network", network)
    return False


def _age(now: datetime, since: datetime | None) -> float:
    return max((now - since).total_seconds(), 0.0) if since else 0.0


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _deliveries(now: datetime) -> Iterator[Metric]:
    by_state = GaugeMetricFamily(
        "interlink_deliveries", "Outbound deliveries by state.", labels=["state"]
    )
    counts = dict(
        Delivery.objects.order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    for state in DeliveryState.values:
        by_state.add_metric([state], counts.get(state, 0))
    yield by_state
    oldest = Delivery.objects.filter(state=DeliveryState.QUEUED).aggregate(at=Min("created_at"))
    yield _gauge(
        "interlink_oldest_queued_delivery_seconds",
        "Age of the oldest delivery waiting for its first attempt (0: none).",
        _age(now, oldest["at"]),
    )
    yield _gauge(
        "interlink_paused_hosts",
        "Receiving hosts paused after repeated failures.",
        HostHealth.objects.filter(paused_until__gt=now).count(),
    )


def _inbox(now: datetime) -> Iterator[Metric]:
    backlog = InboxMessage.objects.filter(state=InboxState.RECEIVED).aggregate(
        n=Count("pk"), at=Min("received_at")
    )
    yield _gauge(
        "interlink_inbox_backlog", "Inbox messages received and not yet handled.", backlog["n"]
    )
    yield _gauge(
        "interlink_oldest_inbox_message_seconds",
        "Age of the oldest inbox message not yet handled (0: none).",
        _age(now, backlog["at"]),
    )
    stale = now - timedelta(seconds=float(setting("FEDERATION_WORKER_STALE_AFTER")))
    yield _gauge(
        "interlink_workers_alive",
        "federation_worker processes with a fresh heartbeat.",
        WorkerHeartbeat.objects.filter(last_seen__gte=stale).count(),
    )


def _index_lag(now: datetime) -> Iterator[Metric]:
    if not apps.is_installed("interlink_search"):
        return
    from interlink_search.health import index_lag

    waiting = GaugeMetricFamily(
        "interlink_search_pending_updates",
        "Index updates not yet written to a search backend.",
        labels=["backend"],
    )
    oldest = GaugeMetricFamily(
        "interlink_search_index_lag_seconds",
        "Age of the oldest index update not yet written to a backend (the index lag).",
        labels=["backend"],
    )
    for backend, (count, since) in sorted(index_lag().items()):
        waiting.add_metric([backend], count)
        oldest.add_metric([backend], _age(now, since))
    yield waiting
    yield oldest


def _participation() -> Iterator[Metric]:
    """Moderation and digest queues of the participation app, reached by label."""
    try:
        contribution = apps.get_model(PARTICIPATION_LABEL, "Contribution")
        team_request = apps.get_model(PARTICIPATION_LABEL, "TeamRequest")
        event = apps.get_model(PARTICIPATION_LABEL, "NotificationEvent")
    except LookupError:
        return
    queues = GaugeMetricFamily(
        "interlink_participation_queue",
        "Participation waiting on people or the digest: contributions and team requests "
        "awaiting a decision, notifications awaiting the digest.",
        labels=["queue"],
    )
    queues.add_metric(
        ["contributions_pending"], contribution.objects.filter(state="pending").count()
    )
    queues.add_metric(
        ["team_requests_pending"], team_request.objects.filter(state="pending").count()
    )
    queues.add_metric(["notifications_unsent"], event.objects.filter(sent_at__isnull=True).count())
    yield queues


class NodeCollector(Collector):
    """The node's queues, read from the database at each collection."""

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        try:
            metrics = [
                *_deliveries(now),
                *_inbox(now),
                *_index_lag(now),
                *_participation(),
            ]
        except DatabaseError as error:
            logger.warning("Metrics: database unreachable: %s", error)
            yield _gauge("interlink_database_up", "Whether the database answered.", 0)
            return
        yield _gauge("interlink_database_up", "Whether the database answered.", 1)
        yield from metrics


def exposition() -> bytes:
    """This process's metrics (search timings, process figures) and the node's queues."""
    node = CollectorRegistry(auto_describe=False)
    node.register(NodeCollector())
    return generate_latest(REGISTRY) + generate_latest(node)
