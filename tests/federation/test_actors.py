"""Remote actors and keys: fetched by signed GET through the guarded client, cached, refetched once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bovine.crypto.types import CryptographicIdentifier
from django.utils import timezone

from interlink_federation import actors, signatures
from interlink_federation.models import BlockedDomain, RemoteActor


@pytest.fixture
def served_actor(listener, settings, keypair):
    settings.FEDERATION_ALLOW_LOOPBACK = True
    actor_id = f"{listener.base}/users/town"
    document = {
        "id": actor_id,
        "type": "Organization",
        "preferredUsername": "town",
        "inbox": f"{actor_id}/inbox",
        "endpoints": {"sharedInbox": f"{listener.base}/inbox"},
        "publicKey": {"id": f"{actor_id}#main-key", "owner": actor_id, "publicKeyPem": keypair[0]},
    }
    listener.json_route("/users/town", document)
    return document


def test_fetch_is_signed_and_cached(local_actor, listener, served_actor):
    """Ensures that an actor is fetched with a signed GET that verifies, then served from cache."""
    remote = actors.fetch_remote_actor(served_actor["id"])
    assert remote.shared_inbox == f"{listener.base}/inbox" and remote.username == "town"
    hit = listener.hits[0]
    headers = {name.lower(): value for name, value in hit["headers"].items()}
    identifier = CryptographicIdentifier.from_pem(local_actor.public_key_pem, local_actor.actor_id)
    owner = signatures.verify_request(
        "GET", f"{listener.base}/users/town", headers, b"", lambda key_id, refresh: identifier
    )
    assert owner == local_actor.actor_id
    actors.fetch_remote_actor(served_actor["id"])
    assert len(listener.hits) == 1
    RemoteActor.objects.update(fetched_at=timezone.now() - timedelta(days=2))
    actors.fetch_remote_actor(served_actor["id"])
    assert len(listener.hits) == 2


def test_key_lookup_and_refetch(local_actor, listener, served_actor, other_keypair):
    """Ensures that a key comes from the cache, and a refresh refetches it (key rotation)."""
    key_id = served_actor["publicKey"]["id"]
    assert actors.lookup_key(key_id, refresh=False).controller == served_actor["id"]
    assert len(listener.hits) == 1
    actors.lookup_key(key_id, refresh=False)
    assert len(listener.hits) == 1
    served_actor["publicKey"]["publicKeyPem"] = other_keypair[0]
    listener.json_route("/users/town", served_actor)
    actors.lookup_key(key_id, refresh=True)
    assert len(listener.hits) == 2
    assert RemoteActor.objects.get().public_key_pem == other_keypair[0]


def test_actor_document_with_foreign_id_refused(local_actor, listener, settings):
    """Ensures that a document claiming an id on another host is not stored."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    listener.json_route(
        "/users/liar", {"id": "https://victim.example/users/x", "inbox": "https://victim.example/i"}
    )
    with pytest.raises(actors.ActorError):
        actors.fetch_remote_actor(f"{listener.base}/users/liar")
    assert not RemoteActor.objects.exists()


def test_actor_document_with_id_on_another_port_refused(local_actor, listener, settings):
    """Ensures that hosts are compared with their port, as the inbox does: a document served
    on one port claiming an id on another port of the same host is not stored."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    other_port = listener.port + 1 if listener.port < 65535 else listener.port - 1
    listener.json_route(
        "/users/liar",
        {
            "id": f"http://127.0.0.1:{other_port}/users/x",
            "inbox": f"http://127.0.0.1:{other_port}/users/x/inbox",
        },
    )
    with pytest.raises(actors.ActorError):
        actors.fetch_remote_actor(f"{listener.base}/users/liar")
    assert not RemoteActor.objects.exists()


def test_key_owned_by_someone_else_refused(local_actor, listener, served_actor):
    """Ensures that a key whose owner is not the actor is refused."""
    served_actor["publicKey"]["owner"] = f"{listener.base}/users/other"
    listener.json_route("/users/town", served_actor)
    assert actors.lookup_key(served_actor["publicKey"]["id"], refresh=False) is None


def test_blocked_domain_never_fetched(local_actor, listener, served_actor):
    """Ensures that a blocked domain's actor is refused without any request."""
    BlockedDomain.objects.create(domain="127.0.0.1")
    with pytest.raises(actors.BlockedError):
        actors.fetch_remote_actor(served_actor["id"])
    assert listener.hits == []
