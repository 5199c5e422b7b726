"""The inbox over real HTTP (a live server on loopback): signature kinds, key binding,
consistency checks before any key fetch, refetch limits. Every refusal changes nothing."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import logging
import time
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from bovine.crypto.http_signature import HttpSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from django.core.cache import cache

from interlink_federation import signatures
from interlink_federation.models import Follower, FollowState, InboxMessage, InboxState, RemoteActor
from interlink_federation.tasks import process_inbox_backlog

from .conftest import REMOTE
from .test_inbox import follow, snapshot

TOWN = f"{REMOTE}/users/town"


@pytest.fixture
def inbox_url(request, wagtail_base, live_server) -> str:
    """Ensures a live server (real sockets on loopback) in front of the test database, with
    our site and actor. List it first: the site tree must exist before other fixtures."""
    request.getfixturevalue("local_actor")
    return f"{live_server.url}/ap/inbox"


def send(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    """POSTs over a real connection; ``headers`` may carry their own ``Host``."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        all_headers = {"Content-Type": "application/activity+json", **headers}
        connection.request("POST", parts.path, body=body, headers=all_headers)
        response = connection.getresponse()
        payload = response.read()
    finally:
        connection.close()
    return response.status, (json.loads(payload) if payload else None)


def cavage(url: str, body: bytes, key: signatures.SigningKey) -> dict[str, str]:
    return signatures.sign_request("POST", url, body, key)


def rfc9421(
    url: str,
    body: bytes,
    key_id: str,
    private_pem: str,
    *,
    created: int | None = None,
    components: tuple[str, ...] = ("@method", "@path", "@authority", "content-digest"),
    digest_of: bytes | None = None,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """An RFC 9421 signature (rsa-v1_5-sha256) as Mastodon 4.5 sends it; ``created=None``
    leaves the parameter out, ``digest_of`` signs the digest of another body."""
    parts = urlsplit(url)
    authority = parts.netloc
    content_digest = (
        "sha-256=:"
        + base64.b64encode(
            hashlib.sha256(body if digest_of is None else digest_of).digest()
        ).decode()
        + ":"
    )
    headers = {"Host": authority, "Content-Digest": content_digest, **(extra or {})}
    values = {
        "@method": "POST",
        "@path": parts.path,
        "@target-uri": url,
        "@authority": authority,
        "host": authority,
        "content-digest": content_digest,
        "date": headers.get("Date", ""),
    }
    params = "(" + " ".join(f'"{name}"' for name in components) + ")"
    if created is not None:
        params += f";created={created}"
    params += f';keyid="{key_id}"'
    message = HttpSignature()
    for name in components:
        message.with_field(name, values[name])
    message.with_field("@signature-params", params)
    private = serialization.load_pem_private_key(private_pem.encode(), None)
    raw = private.sign(message.build_message_quoted().encode(), padding.PKCS1v15(), hashes.SHA256())
    headers["Signature-Input"] = f"sig1={params}"
    headers["Signature"] = f"sig1=:{base64.b64encode(raw).decode()}:"
    return headers


@pytest.fixture
def served_town(listener, settings, keypair) -> dict[str, Any]:
    """Ensures a remote town served on the loopback listener and not yet known to us: any
    key lookup for it would be a request the listener counts."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    actor_id = f"{listener.base}/users/town"
    document = {
        "id": actor_id,
        "type": "Organization",
        "preferredUsername": "town",
        "inbox": f"{actor_id}/inbox",
        "publicKey": {"id": f"{actor_id}#main-key", "owner": actor_id, "publicKeyPem": keypair[0]},
    }
    listener.json_route("/users/town", document)
    return document


def assert_unchanged(status: int, payload: Any, expected: int, before: dict[str, int]) -> None:
    assert status == expected, payload
    assert "error" in payload
    assert snapshot() == before


def test_rfc9421_signed_post_accepted(inbox_url, local_actor, remote_actor, keypair):
    """Ensures that an RFC 9421 signature with a fresh created time is accepted with 202."""
    body = json.dumps(follow(local_actor)).encode()
    headers = rfc9421(inbox_url, body, remote_actor.key_id, keypair[1], created=int(time.time()))
    status, _payload = send(inbox_url, body, headers)
    assert status == 202
    assert InboxMessage.objects.get().activity_id == f"{REMOTE}/activities/follow-1"


FEDIFY_COMPONENTS = ("@method", "@target-uri", "@authority", "host", "date", "content-digest")


def test_rfc9421_covering_target_uri_accepted(
    inbox_url, local_actor, remote_actor, keypair, caplog
):
    """Ensures that an RFC 9421 signature over Fedify's components (@target-uri and host
    among them) is accepted with 202, and nothing is logged with a traceback."""
    body = json.dumps(follow(local_actor)).encode()
    headers = rfc9421(
        inbox_url,
        body,
        remote_actor.key_id,
        keypair[1],
        created=int(time.time()),
        components=FEDIFY_COMPONENTS,
        extra={"Date": signatures.http_date()},
    )
    with caplog.at_level(logging.DEBUG):
        status, _payload = send(inbox_url, body, headers)
    assert status == 202
    assert InboxMessage.objects.count() == 1
    assert not [record for record in caplog.records if record.exc_info]


def test_rfc9421_signed_for_another_uri_is_a_mismatch_without_refetch(
    inbox_url, local_actor, listener, served_town, keypair, caplog
):
    """Ensures that a POST whose RFC 9421 signature covers https://… while it arrived over
    http:// is refused with 401 naming the difference (not blaming the key), its key fetched
    once as unknown and not again, and no traceback logged."""
    activity = follow(local_actor, actor=served_town["id"])
    activity["id"] = f"{listener.base}/activities/1"
    body = json.dumps(activity).encode()
    headers = rfc9421(
        inbox_url.replace("http://", "https://"),
        body,
        served_town["publicKey"]["id"],
        keypair[1],
        created=int(time.time()),
        components=FEDIFY_COMPONENTS,
        extra={"Date": signatures.http_date()},
    )
    with caplog.at_level(logging.DEBUG):
        status, payload = send(inbox_url, body, headers)
    assert status == 401
    assert "signed for https://" in payload["error"] and "key's" in payload["error"]
    assert len([hit for hit in listener.hits if hit["method"] == "GET"]) == 1
    document = urldefrag(served_town["publicKey"]["id"])[0]
    assert cache.get(f"federation:key-fetch:refetch:{document}") is None
    assert not [record for record in caplog.records if record.exc_info]
    assert not InboxMessage.objects.exists()


def test_rfc9421_without_created_or_signed_date_is_400(
    inbox_url, local_actor, remote_actor, keypair
):
    """Ensures that an RFC 9421 signature with neither a created time nor a covered date is
    refused, even when an (unsigned, replayable) fresh Date header comes with it."""
    before = snapshot()
    body = json.dumps(follow(local_actor)).encode()
    headers = rfc9421(
        inbox_url,
        body,
        remote_actor.key_id,
        keypair[1],
        created=None,
        extra={"Date": signatures.http_date()},
    )
    assert_unchanged(*send(inbox_url, body, headers), 400, before)


def test_rfc9421_covered_date_counts(inbox_url, local_actor, remote_actor, keypair):
    """Ensures that an RFC 9421 signature covering date (instead of created) is judged by it:
    fresh is accepted, stale refused."""
    body = json.dumps(follow(local_actor, 1)).encode()
    fresh = rfc9421(
        inbox_url,
        body,
        remote_actor.key_id,
        keypair[1],
        components=("@method", "@path", "@authority", "content-digest", "date"),
        extra={"Date": signatures.http_date()},
    )
    assert send(inbox_url, body, fresh)[0] == 202
    before = snapshot()
    body = json.dumps(follow(local_actor, 2)).encode()
    stale = rfc9421(
        inbox_url,
        body,
        remote_actor.key_id,
        keypair[1],
        components=("@method", "@path", "@authority", "content-digest", "date"),
        extra={"Date": signatures.http_date(time.time() - 3600)},
    )
    assert_unchanged(*send(inbox_url, body, stale), 401, before)


def test_rfc9421_stale_created_is_401(inbox_url, local_actor, remote_actor, keypair):
    """Ensures that an RFC 9421 created time outside the window is refused with 401."""
    before = snapshot()
    body = json.dumps(follow(local_actor)).encode()
    headers = rfc9421(
        inbox_url, body, remote_actor.key_id, keypair[1], created=int(time.time()) - 3600
    )
    assert_unchanged(*send(inbox_url, body, headers), 401, before)


def test_rfc9421_wrong_digest_is_401(inbox_url, local_actor, remote_actor, keypair):
    """Ensures that an RFC 9421 request whose body does not match its (signed) digest is
    refused with 401."""
    before = snapshot()
    body = json.dumps(follow(local_actor)).encode()
    headers = rfc9421(
        inbox_url,
        body,
        remote_actor.key_id,
        keypair[1],
        created=int(time.time()),
        digest_of=b'{"another": "body"}',
    )
    assert_unchanged(*send(inbox_url, body, headers), 401, before)


def test_key_on_another_host_is_401_without_fetch(
    inbox_url, local_actor, listener, served_town, keypair
):
    """Ensures that a key on another host (here: another name for the same loopback port)
    than the actor is refused before the key is fetched: no request, no row."""
    before = snapshot()
    activity = follow(local_actor, actor=served_town["id"])
    activity["id"] = f"{listener.base}/activities/1"
    body = json.dumps(activity).encode()
    key = signatures.SigningKey(f"http://localhost:{listener.port}/users/town#main-key", keypair[1])
    assert_unchanged(*send(inbox_url, body, cavage(inbox_url, body, key)), 401, before)
    assert listener.hits == []


def test_key_on_another_port_is_401(inbox_url, local_actor, remote_actor, keypair):
    """Ensures that host comparison includes the port: a key on the actor's host name but
    another port is refused."""
    before = snapshot()
    body = json.dumps(follow(local_actor)).encode()
    key = signatures.SigningKey("https://remote.example:8443/users/town#main-key", keypair[1])
    assert_unchanged(*send(inbox_url, body, cavage(inbox_url, body, key)), 401, before)


def test_undo_of_another_actors_activity_is_403(inbox_url, local_actor, remote_key):
    """Ensures that an Undo of someone else's Follow (embedded, or named by an id on another
    host) is refused with 403 and the follow stays."""
    mayor = RemoteActor.objects.create(
        uri=f"{REMOTE}/users/mayor", domain="remote.example", inbox=f"{REMOTE}/users/mayor/inbox"
    )
    Follower.objects.create(
        local_actor=local_actor,
        remote_actor=mayor,
        state=FollowState.ACCEPTED,
        follow_activity_id=f"{REMOTE}/f/mayor",
    )
    before = snapshot()
    embedded = {
        "id": f"{REMOTE}/undo/1",
        "type": "Undo",
        "actor": TOWN,
        "object": {
            "id": f"{REMOTE}/f/mayor",
            "type": "Follow",
            "actor": mayor.uri,
            "object": local_actor.actor_id,
        },
    }
    by_id = {
        "id": f"{REMOTE}/undo/2",
        "type": "Undo",
        "actor": TOWN,
        "object": "https://elsewhere.example/f/1",
    }
    for activity in (embedded, by_id):
        body = json.dumps(activity).encode()
        assert_unchanged(*send(inbox_url, body, cavage(inbox_url, body, remote_key)), 403, before)
    assert Follower.objects.filter(remote_actor=mayor).exists()


def test_foreign_activity_id_is_403_before_any_fetch(
    inbox_url, local_actor, listener, served_town, keypair
):
    """Ensures that an activity id on another host than its (unknown) actor is refused
    before the actor's key is fetched: no request to it, no RemoteActor row."""
    before = snapshot()
    activity = follow(local_actor, actor=served_town["id"])
    activity["id"] = "https://elsewhere.example/activities/1"
    body = json.dumps(activity).encode()
    key = signatures.SigningKey(served_town["publicKey"]["id"], keypair[1])
    assert_unchanged(*send(inbox_url, body, cavage(inbox_url, body, key)), 403, before)
    assert listener.hits == []
    assert not RemoteActor.objects.exists()


def test_foreign_object_is_403_before_any_fetch(
    inbox_url, local_actor, listener, served_town, keypair
):
    """Ensures that a Create of an object on another host is refused without a key fetch."""
    before = snapshot()
    activity = {
        "id": f"{listener.base}/activities/create-1",
        "type": "Create",
        "actor": served_town["id"],
        "object": {"id": "https://elsewhere.example/objects/1", "type": "Article"},
    }
    body = json.dumps(activity).encode()
    key = signatures.SigningKey(served_town["publicKey"]["id"], keypair[1])
    assert_unchanged(*send(inbox_url, body, cavage(inbox_url, body, key)), 403, before)
    assert listener.hits == []


def test_bad_signatures_do_not_refetch_endlessly(
    inbox_url, local_actor, listener, served_town, other_keypair
):
    """Ensures that a stream of bad signatures fetches the key at most once as unknown and
    refetches it at most once per interval, not once per request."""
    forged = signatures.SigningKey(served_town["publicKey"]["id"], other_keypair[1])
    for number in range(4):
        activity = follow(local_actor, number, actor=served_town["id"])
        activity["id"] = f"{listener.base}/activities/{number}"
        body = json.dumps(activity).encode()
        assert send(inbox_url, body, cavage(inbox_url, body, forged))[0] == 401
    assert len([hit for hit in listener.hits if hit["method"] == "GET"]) <= 2
    assert not InboxMessage.objects.exists()


def test_good_signature_from_unknown_actor_fetches_once(
    inbox_url, local_actor, listener, served_town, keypair
):
    """Ensures that a valid POST from an actor we do not know yet fetches its key once
    (signed GET) and is accepted; the next one uses the stored key."""
    key = signatures.SigningKey(served_town["publicKey"]["id"], keypair[1])
    for number in (1, 2):
        activity = follow(local_actor, number, actor=served_town["id"])
        activity["id"] = f"{listener.base}/activities/{number}"
        body = json.dumps(activity).encode()
        assert send(inbox_url, body, cavage(inbox_url, body, key))[0] == 202
    fetches = [hit for hit in listener.hits if hit["method"] == "GET"]
    assert len(fetches) == 1 and "Signature" in fetches[0]["headers"]
    assert InboxMessage.objects.count() == 2


def test_announce_of_another_servers_object_is_accepted(inbox_url, local_actor, remote_key):
    """Ensures that a boost (Announce) of a post living on another server is accepted with
    202, stored, and ignored by the handlers (not refused as a foreign object)."""
    activity = {
        "id": f"{REMOTE}/activities/announce-1",
        "type": "Announce",
        "actor": TOWN,
        "object": "https://elsewhere.example/notes/1",
    }
    body = json.dumps(activity).encode()
    status, _payload = send(inbox_url, body, cavage(inbox_url, body, remote_key))
    assert status == 202
    message = InboxMessage.objects.get()
    assert message.activity_type == "Announce"
    process_inbox_backlog.call()  # the live server may have handled it already
    message.refresh_from_db()
    assert message.state == InboxState.IGNORED
