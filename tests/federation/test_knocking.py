"""Outbound signatures per host: RFC 9421 first, draft-cavage when refused ("double-knocking",
as Fedify does), the accepted scheme remembered per host, and a 401 from a host that
verified us before retried once with the other scheme."""

from __future__ import annotations

import pytest
from bovine.crypto.types import CryptographicIdentifier
from django.db.models import Q

from interlink_federation import delivery, signatures
from interlink_federation.models import (
    Delivery,
    DeliveryState,
    Follower,
    FollowState,
    HostHealth,
    OutboxActivity,
    RemoteActor,
)


@pytest.fixture
def follower(local_actor, listener, settings):
    settings.FEDERATION_ALLOW_LOOPBACK = True
    remote = RemoteActor.objects.create(
        uri=f"{listener.base}/users/1", domain="127.0.0.1", inbox=f"{listener.base}/inbox"
    )
    return Follower.objects.create(
        local_actor=local_actor,
        remote_actor=remote,
        state=FollowState.ACCEPTED,
        follow_activity_id=f"{listener.base}/follows/1",
    )


def scheme_of(hit: dict) -> str:
    headers = {name.lower() for name in hit["headers"]}
    return "rfc9421" if "signature-input" in headers else "cavage"


def accepting(*schemes: str, refusal: int = 401):
    """A receiver that verifies our signature and accepts only ``schemes``."""

    def respond(hit: dict) -> tuple[int, dict, bytes]:
        return (202, {}, b"") if scheme_of(hit) in schemes else (refusal, {}, b"no")

    return respond


def deliver(local_actor, listener, number: int) -> Delivery:
    activity = OutboxActivity.objects.create(
        local_actor=local_actor,
        activity_id=f"http://testserver/ap/activities/{number}",
        activity_type="Create",
        document={"id": f"http://testserver/ap/activities/{number}", "type": "Create"},
    )
    row = Delivery.objects.create(
        activity=activity, inbox=f"{listener.base}/inbox", host=f"127.0.0.1:{listener.port}"
    )
    delivery.send_claimed(delivery.claim(Q(pk=row.pk)))
    row.refresh_from_db()
    return row


def remembered(listener) -> str:
    return HostHealth.objects.get(host=f"127.0.0.1:{listener.port}").signature_scheme


def test_new_host_gets_rfc9421_and_it_is_remembered(local_actor, listener, follower):
    """Ensures that a host never delivered to is knocked on with RFC 9421 (a signature our
    own verifier accepts) and, having accepted it, is remembered as an RFC 9421 host."""
    listener.respond = accepting("rfc9421", "cavage")
    row = deliver(local_actor, listener, 1)
    assert row.state == DeliveryState.DELIVERED
    [hit] = listener.hits
    assert scheme_of(hit) == "rfc9421"
    identifier = CryptographicIdentifier.from_pem(local_actor.public_key_pem, local_actor.actor_id)
    owner = signatures.verify_request(
        "POST", f"{listener.base}/inbox", hit["headers"], hit["body"], lambda *_: identifier
    )
    assert owner == local_actor.actor_id
    assert remembered(listener) == "rfc9421"


def test_refused_rfc9421_knocks_again_with_cavage_once_then_remembers(
    local_actor, listener, follower
):
    """Ensures that a host refusing RFC 9421 gets the same POST signed with draft-cavage,
    and later deliveries go with draft-cavage at once (one request each)."""
    listener.respond = accepting("cavage")
    row = deliver(local_actor, listener, 1)
    assert row.state == DeliveryState.DELIVERED
    assert [scheme_of(hit) for hit in listener.hits] == ["rfc9421", "cavage"]
    assert remembered(listener) == "cavage"
    listener.hits.clear()
    assert deliver(local_actor, listener, 2).state == DeliveryState.DELIVERED
    assert [scheme_of(hit) for hit in listener.hits] == ["cavage"]


def test_known_host_answering_401_is_retried_once_with_the_other_scheme(
    local_actor, listener, follower
):
    """Ensures that a host that verified our RFC 9421 signatures before and now answers 401
    is sent the delivery once more with draft-cavage, which is then remembered."""
    HostHealth.objects.create(host=f"127.0.0.1:{listener.port}", signature_scheme="rfc9421")
    listener.respond = accepting("cavage")
    assert deliver(local_actor, listener, 1).state == DeliveryState.DELIVERED
    assert [scheme_of(hit) for hit in listener.hits] == ["rfc9421", "cavage"]
    assert remembered(listener) == "cavage"


def test_known_host_refusing_for_another_reason_gets_no_second_knock(
    local_actor, listener, follower
):
    """Ensures that a host that accepted us before and now refuses with 400 (not a
    signature problem) is not sent the same activity with another signature."""
    HostHealth.objects.create(host=f"127.0.0.1:{listener.port}", signature_scheme="cavage")
    listener.respond = lambda hit: (400, {}, b"Invalid activity")
    row = deliver(local_actor, listener, 1)
    assert row.state == DeliveryState.FAILED and row.last_status == 400
    assert [scheme_of(hit) for hit in listener.hits] == ["cavage"]
    assert remembered(listener) == "cavage"


def test_a_host_refusing_both_schemes_fails_and_learns_nothing(local_actor, listener, follower):
    """Ensures that a 401 to both schemes ends as a retryable failure with nothing remembered."""
    listener.respond = accepting()
    row = deliver(local_actor, listener, 1)
    assert row.state == DeliveryState.RETRYING and row.last_status == 401
    assert [scheme_of(hit) for hit in listener.hits] == ["rfc9421", "cavage"]
    assert remembered(listener) == ""


def test_the_first_scheme_is_a_setting(local_actor, listener, follower, settings):
    """Ensures that FEDERATION_SIGNATURE_FIRST = "cavage" knocks with draft-cavage first."""
    settings.FEDERATION_SIGNATURE_FIRST = "cavage"
    listener.respond = accepting("rfc9421", "cavage")
    assert deliver(local_actor, listener, 1).state == DeliveryState.DELIVERED
    assert [scheme_of(hit) for hit in listener.hits] == ["cavage"]
    assert remembered(listener) == "cavage"


def test_a_known_healthy_host_costs_no_host_writes(local_actor, listener, follower):
    """Ensures that in the steady state (the host's scheme known, no failures) a delivery
    writes nothing to the host table: remembering schemes adds no query per delivery."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    HostHealth.objects.create(host=f"127.0.0.1:{listener.port}", signature_scheme="rfc9421")
    listener.respond = accepting("rfc9421")
    with CaptureQueriesContext(connection) as queries:
        assert deliver(local_actor, listener, 1).state == DeliveryState.DELIVERED
    writes = [
        query["sql"]
        for query in queries
        if "hosthealth" in query["sql"] and not query["sql"].lstrip().startswith("SELECT")
    ]
    assert writes == []
