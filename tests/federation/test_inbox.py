"""The inbox: every rejection rule answers clearly and changes nothing; accepted → 202, stored once."""

from __future__ import annotations

import json
import threading
import time

import pytest

from interlink_federation import signatures
from interlink_federation.models import (
    BlockedActor,
    BlockedDomain,
    Delivery,
    Follower,
    Following,
    InboxMessage,
    OutboxActivity,
    RemoteActor,
    RemoteObject,
)

from .conftest import REMOTE

MODELS = [InboxMessage, Follower, Following, RemoteActor, RemoteObject, OutboxActivity, Delivery]


def snapshot() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def follow(local_actor, number: int = 1, actor: str = f"{REMOTE}/users/town") -> dict:
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{REMOTE}/activities/follow-{number}",
        "type": "Follow",
        "actor": actor,
        "object": local_actor.actor_id,
    }


@pytest.fixture
def no_fetch(monkeypatch):
    """Ensures a test fails if anything tries an outbound request."""

    def refuse(*args, **kwargs):
        raise AssertionError("an outbound request was attempted")

    monkeypatch.setattr("interlink_federation.client.guarded_request", refuse)


def assert_refused(response, status: int, before: dict[str, int]) -> None:
    assert response.status_code == status, response.content
    assert "error" in response.json()
    assert snapshot() == before


def test_valid_follow_accepted_with_202(
    post_inbox, local_actor, remote_key, django_capture_on_commit_callbacks
):
    """Ensures that a correctly signed activity is stored and answered with 202."""
    with django_capture_on_commit_callbacks(execute=True):
        response = post_inbox(follow(local_actor), remote_key)
    assert response.status_code == 202
    message = InboxMessage.objects.get()
    assert message.activity_type == "Follow" and message.state == "processed"


def test_shared_inbox_accepts_too(post_inbox, local_actor, remote_key):
    """Ensures that the shared inbox takes the same signed activities."""
    assert post_inbox(follow(local_actor), remote_key, path="/inbox").status_code == 202
    assert InboxMessage.objects.count() == 1


def test_duplicate_activity_processed_once(
    post_inbox, local_actor, remote_key, django_capture_on_commit_callbacks
):
    """Ensures that the same activity id twice is answered 202 twice but stored and handled once."""
    with django_capture_on_commit_callbacks(execute=True):
        first = post_inbox(follow(local_actor), remote_key)
    with django_capture_on_commit_callbacks(execute=True):
        second = post_inbox(follow(local_actor), remote_key)
    assert first.status_code == second.status_code == 202
    assert InboxMessage.objects.count() == 1
    assert Follower.objects.count() == 1
    assert OutboxActivity.objects.filter(activity_type="Accept").count() == 1


def test_body_over_one_megabyte_is_413(post_inbox, local_actor, remote_key, no_fetch):
    """Ensures that bodies over 1 MB are refused with 413 before anything else."""
    before = snapshot()
    activity = follow(local_actor)
    activity["padding"] = "x" * (1024 * 1024)
    assert_refused(post_inbox(activity, remote_key), 413, before)


def test_wrong_content_type_is_415(post_inbox, local_actor, remote_key, no_fetch):
    """Ensures that a form post is refused with 415."""
    before = snapshot()
    response = post_inbox(
        follow(local_actor), remote_key, content_type="application/x-www-form-urlencoded"
    )
    assert_refused(response, 415, before)


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", json.dumps({"type": "Follow"}).encode()])
def test_malformed_activity_is_400(post_inbox, local_actor, remote_key, body, no_fetch):
    """Ensures that non-JSON, non-objects and activities without id/actor are refused with 400."""
    before = snapshot()
    assert_refused(post_inbox(body, remote_key), 400, before)


def test_unsigned_is_401(post_inbox, local_actor, no_fetch):
    """Ensures that an unsigned POST is refused with 401."""
    before = snapshot()
    assert_refused(post_inbox(follow(local_actor)), 401, before)


def test_bad_signature_is_401(post_inbox, local_actor, remote_actor, other_keypair):
    """Ensures that a signature made with another key is refused with 401 (after one key refetch)."""
    before = snapshot()
    forged = signatures.SigningKey(remote_actor.key_id, other_keypair[1])
    assert_refused(post_inbox(follow(local_actor), forged), 401, before)


def test_tampered_body_is_401(client, local_actor, remote_key, no_fetch):
    """Ensures that a body changed after signing is refused with 401."""
    from .conftest import signed_headers

    before = snapshot()
    body = json.dumps(follow(local_actor)).encode()
    meta = signed_headers("http://testserver/ap/inbox", body, remote_key)
    tampered = body.replace(b"follow-1", b"follow-2")
    response = client.post(
        "/ap/inbox", data=tampered, content_type="application/activity+json", **meta
    )
    assert_refused(response, 401, before)


def test_stale_date_is_401(client, local_actor, remote_key, no_fetch):
    """Ensures that a Date outside the window is refused with 401."""
    before = snapshot()
    body = json.dumps(follow(local_actor)).encode()
    headers = signatures.sign_request(
        "POST",
        "http://testserver/ap/inbox",
        body,
        remote_key,
        date=signatures.http_date(time.time() - 3600),
    )
    meta = {f"HTTP_{name.upper()}": value for name, value in headers.items() if name != "Host"}
    response = client.post("/ap/inbox", data=body, content_type="application/activity+json", **meta)
    assert_refused(response, 401, before)


def test_signature_not_covering_digest_is_400(client, local_actor, remote_key, no_fetch):
    """Ensures that a POST signature that does not cover the digest is refused with 400."""
    from bovine.crypto.http_signature import HttpSignature

    before = snapshot()
    body = json.dumps(follow(local_actor)).encode()
    date = signatures.http_date()
    signature = (
        HttpSignature()
        .with_field("(request-target)", "post /ap/inbox")
        .with_field("host", "testserver")
        .with_field("date", date)
        .sign_for_http_draft(remote_key.secret)
    )
    response = client.post(
        "/ap/inbox",
        data=body,
        content_type="application/activity+json",
        HTTP_DATE=date,
        HTTP_DIGEST=signatures.digest(body),
        HTTP_SIGNATURE=signature,
    )
    assert_refused(response, 400, before)


def test_blocked_domain_is_403_before_any_fetch(post_inbox, local_actor, keypair, no_fetch):
    """Ensures that a blocked domain is refused with 403 without fetching its key."""
    BlockedDomain.objects.create(domain="example")  # parent domain blocks remote.example
    before = snapshot()
    key = signatures.SigningKey(f"{REMOTE}/users/unknown#main-key", keypair[1])
    assert_refused(
        post_inbox(follow(local_actor, actor=f"{REMOTE}/users/unknown"), key), 403, before
    )


def test_blocked_actor_is_403(post_inbox, local_actor, remote_key, no_fetch):
    """Ensures that a blocked actor is refused with 403."""
    BlockedActor.objects.create(uri=f"{REMOTE}/users/town")
    before = snapshot()
    assert_refused(post_inbox(follow(local_actor), remote_key), 403, before)


def test_key_of_another_actor_is_401(post_inbox, local_actor, remote_key, no_fetch):
    """Ensures that an activity whose actor is not the key's owner is refused with 401."""
    before = snapshot()
    activity = follow(local_actor, actor=f"{REMOTE}/users/someone-else")
    assert_refused(post_inbox(activity, remote_key), 401, before)


def test_activity_id_on_foreign_host_is_403(post_inbox, local_actor, remote_key, no_fetch):
    """Ensures that an activity id on another host than its actor is refused with 403."""
    before = snapshot()
    activity = follow(local_actor)
    activity["id"] = "https://elsewhere.example/activities/1"
    assert_refused(post_inbox(activity, remote_key), 403, before)


def test_object_on_foreign_host_is_403(post_inbox, local_actor, remote_key, no_fetch):
    """Ensures that a Create of an object on another host is refused with 403."""
    before = snapshot()
    activity = {
        "id": f"{REMOTE}/activities/create-1",
        "type": "Create",
        "actor": f"{REMOTE}/users/town",
        "object": {"id": "https://elsewhere.example/objects/1", "type": "Article", "name": "Spoof"},
    }
    assert_refused(post_inbox(activity, remote_key), 403, before)


def test_object_attributed_to_another_actor_is_403(post_inbox, local_actor, remote_key, no_fetch):
    """Ensures that a Create of an object attributed to someone else is refused with 403."""
    before = snapshot()
    activity = {
        "id": f"{REMOTE}/activities/create-2",
        "type": "Create",
        "actor": f"{REMOTE}/users/town",
        "object": {
            "id": f"{REMOTE}/objects/2",
            "type": "Article",
            "attributedTo": f"{REMOTE}/users/mayor",
        },
    }
    assert_refused(post_inbox(activity, remote_key), 403, before)


def test_get_on_inbox_is_405(client, local_actor):
    """Ensures that the inbox only takes POSTs."""
    assert client.get("/ap/inbox").status_code == 405


def test_block_added_after_a_cached_check_refuses_the_next_post(
    post_inbox, local_actor, remote_key, no_fetch
):
    """Ensures that the per-process blocklist copy is cleared when a block is saved or
    deleted: the POST right after blocking is refused, the one after unblocking accepted."""
    assert post_inbox(follow(local_actor, 1), remote_key).status_code == 202
    block = BlockedActor.objects.create(uri=f"{REMOTE}/users/town")
    before = snapshot()
    assert_refused(post_inbox(follow(local_actor, 2), remote_key), 403, before)
    block.delete()
    domain_block = BlockedDomain.objects.create(domain="remote.example")
    assert_refused(post_inbox(follow(local_actor, 3), remote_key), 403, before)
    domain_block.delete()
    assert post_inbox(follow(local_actor, 4), remote_key).status_code == 202


def test_warm_inbox_post_costs_only_the_insert(
    post_inbox, local_actor, remote_key, no_fetch, django_assert_max_num_queries
):
    """Ensures that once the local actor, blocklist and key are cached per process, an
    accepted POST runs no lookup query: only the message insert (and its savepoint)."""
    assert post_inbox(follow(local_actor, 1), remote_key).status_code == 202
    with django_assert_max_num_queries(3) as captured:
        assert post_inbox(follow(local_actor, 2), remote_key).status_code == 202
    statements = [query["sql"].split()[0].upper() for query in captured.captured_queries]
    assert statements.count("INSERT") == 1
    assert "SELECT" not in statements


def test_rotated_key_saved_locally_is_used_at_once(
    post_inbox, local_actor, remote_actor, keypair, other_keypair, no_fetch
):
    """Ensures that the parsed-key cache forgets a key when its actor row changes, so a
    POST signed with the new key verifies without waiting for the cache to expire."""
    old_key = signatures.SigningKey(remote_actor.key_id, keypair[1])
    assert post_inbox(follow(local_actor, 1), old_key).status_code == 202
    remote_actor.public_key_pem = other_keypair[0]
    remote_actor.save()
    new_key = signatures.SigningKey(remote_actor.key_id, other_keypair[1])
    assert post_inbox(follow(local_actor, 2), new_key).status_code == 202


class FakeClock:
    """The waker's clock: it moves only when the waker pauses (``sleep``) or a burst window
    passes without a message (``quiet_window``), never while the test runs."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.quiet = False  # burst windows pass without a message
        self.burst = threading.Event()  # set by the test once its burst has arrived

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def burst_wait(self, event: threading.Event, timeout: float) -> bool:
        if self.quiet:
            self.now += timeout
            return False
        self.burst.wait(10)  # the window lasts until the test's burst has arrived
        return event.is_set()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def enqueued(monkeypatch, clock) -> list[float]:
    """Times (on the waker's clock) at which the backlog task was enqueued (by a stand-in
    task, not run)."""
    from interlink_federation import tasks

    times: list[float] = []

    class QueuedBackend:
        pass

    class FakeTask:
        def get_backend(self):
            return QueuedBackend()

        def enqueue(self):
            times.append(clock.now)

    monkeypatch.setattr(tasks, "process_inbox_backlog", FakeTask())
    return times


def waker(clock: FakeClock):
    from interlink_federation import tasks

    return tasks._Waker(clock=lambda: clock.now, sleep=clock.sleep, burst_wait=clock.burst_wait)


def wait_for(enqueued: list[float], count: int) -> None:
    """Waits (for the waker's thread, not for a duration) until ``count`` tasks are enqueued."""
    for _ in range(1000):
        if len(enqueued) >= count:
            break
        time.sleep(0.01)
    assert len(enqueued) >= count


def test_a_burst_waits_for_one_trailing_backlog_task(enqueued, settings, clock):
    """Ensures that the first message after a quiet spell enqueues a backlog task at once
    and a burst right behind it one trailing task at the end of the interval (not one per
    message), from the waker's one thread, so no message waits for the sweep."""
    settings.FEDERATION_INBOX_WAKE_INTERVAL = 1.0
    settings.FEDERATION_INBOX_WAKE_BURST_WINDOW = 0.5
    woken = waker(clock)
    woken.wake()
    wait_for(enqueued, 1)
    assert enqueued == [0.0] and clock.sleeps == []  # at once
    for _ in range(5):
        woken.wake()
    clock.burst.set()
    wait_for(enqueued, 2)
    # One pause to the end of the interval, then one task for the whole burst; nothing is
    # pending after it, so no third task follows.
    assert clock.sleeps == [1.0] and enqueued == [0.0, 1.0]
    assert not woken.pending.is_set()


def test_messages_after_a_quiet_window_are_handled_at_once(enqueued, settings, clock):
    """Ensures that a message arriving after the burst window enqueues its task at once
    rather than at the end of the interval: sparse traffic (one publish now and then) keeps
    its low latency."""
    settings.FEDERATION_INBOX_WAKE_INTERVAL = 2.0
    settings.FEDERATION_INBOX_WAKE_BURST_WINDOW = 0.05
    clock.quiet = True
    woken = waker(clock)
    woken.wake()
    wait_for(enqueued, 1)
    for _ in range(1000):  # the window passes, quietly
        if clock.now >= 0.05:
            break
        time.sleep(0.01)
    woken.wake()
    wait_for(enqueued, 2)
    assert clock.sleeps == []  # no pause until the end of the interval
    assert enqueued == [0.0, 0.05]


def test_backlog_task_handles_every_received_message(post_inbox, local_actor, remote_key, no_fetch):
    """Ensures that the inbox rows are the queue: messages stored while no task ran are all
    handled by one backlog run, each once."""
    from interlink_federation.tasks import process_inbox_backlog

    for number in (1, 2, 3):
        assert post_inbox(follow(local_actor, number), remote_key).status_code == 202
    assert InboxMessage.objects.filter(state="received").count() == 3
    assert process_inbox_backlog.call() == 3
    assert not InboxMessage.objects.filter(state="received").exists()
    assert Follower.objects.count() == 1
    assert process_inbox_backlog.call() == 0
