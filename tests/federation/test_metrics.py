"""/healthz, /readyz's search check and /metrics with its access rules (#16, item 5)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from interlink_federation import recovery
from interlink_federation.models import (
    Delivery,
    DeliveryState,
    HostHealth,
    InboxMessage,
    InboxState,
    OutboxActivity,
)
from interlink_search.models import PendingUpdate

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-scrape-token"


def samples(response) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """The exposition's samples by (name, sorted labels)."""
    text = response.content.decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def activity(local_actor, n: int) -> OutboxActivity:
    return OutboxActivity.objects.create(
        local_actor=local_actor,
        activity_id=f"{local_actor.actor_id}/activities/m{n}",
        activity_type="Create",
        document={"type": "Create"},
    )


def test_healthz_answers_without_the_database(client):
    """Ensures that liveness needs nothing but the process: it answers 200 while every
    query would fail."""
    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"alive": True}
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_reports_search_answering_from_the_database_backend(client, settings):
    """Ensures that /readyz checks search: with no engine configured the database backend
    answers."""
    settings.SEARCH_URL = ""
    recovery.beat("host:1", timezone.now())
    body = client.get("/readyz").json()
    assert body["ready"] is True
    assert body["search"] == "ok" and body["search_answered_by"] == "database"


def test_readyz_ready_on_the_fallback_when_the_engine_is_down(client, settings):
    """Ensures that an engine that does not answer leaves the node ready (searches fall
    back to the database) and says so."""
    settings.SEARCH_URL = "http://127.0.0.1:9/"
    recovery.beat("host:1", timezone.now())
    with mock.patch("interlink_search.health._engine_answers", return_value=False):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["search_answered_by"] == "fallback"


def test_readyz_503_when_neither_engine_nor_fallback_answers(client, settings):
    """Ensures that /readyz is 503 with a JSON reason when search cannot answer at all."""
    settings.SEARCH_URL = "http://127.0.0.1:9/"
    recovery.beat("host:1", timezone.now())
    with (
        mock.patch("interlink_search.health._engine_answers", return_value=False),
        mock.patch("interlink_search.health._fallback_answers", side_effect=OperationalError),
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False and body["search"] == "not answering"
    assert body["search_answered_by"] == "down"


def test_metrics_refused_by_default(client):
    """Ensures that /metrics is closed when no network or token is configured, even to
    loopback and to a client sending some bearer token."""
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


def test_metrics_allowed_by_address(client, settings):
    """Ensures that a client in METRICS_ALLOWED_NETWORKS reads /metrics, one outside not."""
    settings.METRICS_ALLOWED_NETWORKS = ["10.1.0.0/16", "not a network", "::1/128"]
    response = client.get("/metrics", REMOTE_ADDR="10.1.4.2")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.2.0.1").status_code == 403


def test_metrics_allowed_by_token(client, settings):
    """Ensures that the configured bearer token opens /metrics and any other does not."""
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 403


def test_metrics_figures(client, settings, local_actor, make_call):
    """Ensures that the gauges count deliveries by state, the oldest queued delivery's age,
    the inbox backlog, paused hosts, the index lag and the participation queues."""
    from interlink_blocks.participation.models import (
        Contribution,
        NotificationEvent,
        Participant,
        TeamRequest,
    )

    settings.METRICS_TOKEN = TOKEN
    now = timezone.now()
    states = [DeliveryState.QUEUED] * 3 + [DeliveryState.RETRYING] * 2
    states += [DeliveryState.DELIVERED] * 4 + [DeliveryState.FAILED]
    for n, state in enumerate(states):
        Delivery.objects.create(
            activity=activity(local_actor, n),
            inbox=f"https://h{n}.example/inbox",
            host=f"h{n}.example",
            state=state,
        )
    oldest = Delivery.objects.filter(state=DeliveryState.QUEUED).first()
    Delivery.objects.filter(pk=oldest.pk).update(created_at=now - timedelta(minutes=10))
    for n in range(2):
        message = InboxMessage.objects.create(
            activity_id=f"https://a.example/{n}",
            activity_type="Like",
            actor_uri="https://a.example/u",
            body={},
        )
    InboxMessage.objects.filter(pk=message.pk).update(received_at=now - timedelta(seconds=90))
    InboxMessage.objects.create(
        activity_id="https://a.example/done",
        activity_type="Like",
        actor_uri="https://a.example/u",
        body={},
        state=InboxState.PROCESSED,
    )
    HostHealth.objects.create(host="down.example", paused_until=now + timedelta(minutes=5))
    HostHealth.objects.create(host="back.example", paused_until=now - timedelta(minutes=5))
    PendingUpdate.objects.create(
        backend="elasticsearch", key="k1", source="s", object_pk="1", action="upsert"
    )
    lagging = PendingUpdate.objects.create(
        backend="elasticsearch", key="k2", source="s", object_pk="2", action="upsert"
    )
    PendingUpdate.objects.filter(pk=lagging.pk).update(created_at=now - timedelta(minutes=3))
    call = make_call(contact_email="team@example.org")
    Contribution.objects.create(call=call, body="Waiting", state="pending")
    Contribution.objects.create(call=call, body="Waiting too", state="pending")
    Contribution.objects.create(call=call, body="Seen", state="approved")
    ana = Participant.objects.create(email="ana@example.org")
    TeamRequest.objects.create(
        call=call, participant=ana, role="citizen", motivation="Care", state="pending"
    )
    NotificationEvent.objects.create(call=call)
    NotificationEvent.objects.create(call=call, sent_at=now)

    got = samples(client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"))

    def deliveries(state: str) -> float:
        return got[("interlink_deliveries", (("state", state),))]

    assert deliveries("queued") == 3 and deliveries("retrying") == 2
    assert deliveries("delivered") == 4 and deliveries("failed") == 1
    assert deliveries("sending") == 0 and deliveries("cancelled") == 0
    assert 599 <= got[("interlink_oldest_queued_delivery_seconds", ())] < 660
    assert got[("interlink_inbox_backlog", ())] == 2
    assert 89 <= got[("interlink_oldest_inbox_message_seconds", ())] < 150
    assert got[("interlink_paused_hosts", ())] == 1
    assert got[("interlink_search_pending_updates", (("backend", "elasticsearch"),))] == 2
    assert 179 <= got[("interlink_search_index_lag_seconds", (("backend", "elasticsearch"),))] < 240
    queue = "interlink_participation_queue"
    assert got[(queue, (("queue", "contributions_pending"),))] == 2
    assert got[(queue, (("queue", "team_requests_pending"),))] == 1
    assert got[(queue, (("queue", "notifications_unsent"),))] == 1
    assert got[("interlink_database_up", ())] == 1


def test_metrics_time_searches(client, settings):
    """Ensures that a search is timed in the search latency histogram /metrics shows."""
    settings.METRICS_TOKEN = TOKEN
    key = ("interlink_search_seconds_count", (("backend", "database"),))
    before = samples(client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")).get(key, 0)
    assert client.get("/api/v1/discover/?q=care").status_code == 200
    after = samples(client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"))[key]
    assert after >= before + 1


def test_metrics_without_the_database(client, settings):
    """Ensures that a scrape during a database outage answers (database_up 0), never 500."""
    settings.METRICS_TOKEN = TOKEN
    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("gone")):
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert samples(response)[("interlink_database_up", ())] == 0
