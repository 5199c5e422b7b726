"""The inbox worker and federation's own handlers (follows, catalogue), run on stored messages."""

from __future__ import annotations

import pytest

from interlink_federation import handlers, publishing
from interlink_federation.dispatch import ANY, table
from interlink_federation.models import (
    Follower,
    Following,
    FollowState,
    InboxMessage,
    InboxState,
    OutboxActivity,
    RemoteObject,
)

from .conftest import REMOTE

ACTOR = f"{REMOTE}/users/town"


def stored(activity: dict, actor: str = ACTOR) -> InboxMessage:
    """Stores a message as the inbox would, without handling it."""
    return InboxMessage.objects.create(
        activity_id=activity["id"], activity_type=activity["type"], actor_uri=actor, body=activity
    )


def deliver(activity: dict) -> InboxMessage:
    """Stores a message as the inbox would and runs the handler task body on it."""
    message = stored(activity)
    handlers.process(message.pk)
    message.refresh_from_db()
    return message


def article(number: int = 1, kind: str = "call", **extra) -> dict:
    return {
        "id": f"{REMOTE}/ap/objects/{number}",
        "type": "Article",
        "attributedTo": ACTOR,
        "name": "Redesign the library service",
        "summary": "Help us <b>redesign</b>",
        "content": '<p>Join us</p><script>alert(1)</script><a href="javascript:alert(1)">x</a><a href="https://remote.example/c">link</a><img src=x onerror=alert(1)>',
        "contentMap": {"es": "<p>Join us</p>"},
        "url": f"{REMOTE}/calls/library/",
        "published": "2026-11-01T10:00:00Z",
        "updated": "2026-11-01T10:00:00Z",
        "tag": [{"type": "Hashtag", "name": "#Culture", "href": f"{REMOTE}/calls/?sector=culture"}],
        "interlink:kind": kind,
        "adms:status": "open",
        "interlink:deadline": "2026-12-31",
        **extra,
    }


@pytest.fixture
def we_follow(local_actor, remote_actor):
    return Following.objects.create(
        local_actor=local_actor,
        remote_actor=remote_actor,
        state=FollowState.ACCEPTED,
        follow_activity_id=f"{local_actor.base_url}/ap/activities/f1",
    )


def test_follow_auto_accepted(local_actor, remote_actor):
    """Ensures that a Follow is accepted at once, with an Accept sent to the follower."""
    message = deliver(
        {"id": f"{REMOTE}/f/1", "type": "Follow", "actor": ACTOR, "object": local_actor.actor_id}
    )
    assert message.state == InboxState.PROCESSED
    assert Follower.objects.get().state == FollowState.ACCEPTED
    accept = OutboxActivity.objects.get(activity_type="Accept")
    assert accept.document["object"]["id"] == f"{REMOTE}/f/1"
    assert list(accept.deliveries.values_list("inbox", flat=True)) == [remote_actor.inbox]


def test_follow_waits_for_manual_approval(local_actor, remote_actor):
    """Ensures that with manual approval on, a Follow stays pending until approved."""
    local_actor.manually_approves_followers = True
    local_actor.save()
    deliver(
        {"id": f"{REMOTE}/f/2", "type": "Follow", "actor": ACTOR, "object": local_actor.actor_id}
    )
    follower = Follower.objects.get()
    assert follower.state == FollowState.PENDING
    assert not OutboxActivity.objects.filter(activity_type="Accept").exists()
    publishing.accept_follower(follower)
    assert Follower.objects.get().state == FollowState.ACCEPTED
    assert OutboxActivity.objects.filter(activity_type="Accept").count() == 1


def test_follow_of_unknown_actor_ignored(local_actor, remote_actor):
    """Ensures that a Follow of an actor that is not ours is ignored."""
    message = deliver(
        {"id": f"{REMOTE}/f/3", "type": "Follow", "actor": ACTOR, "object": "https://x.example/a"}
    )
    assert message.state == InboxState.IGNORED and not Follower.objects.exists()


def test_undo_follow(local_actor, remote_actor):
    """Ensures that Undo of a Follow removes the follower."""
    deliver(
        {"id": f"{REMOTE}/f/4", "type": "Follow", "actor": ACTOR, "object": local_actor.actor_id}
    )
    deliver(
        {
            "id": f"{REMOTE}/undo/4",
            "type": "Undo",
            "actor": ACTOR,
            "object": {
                "id": f"{REMOTE}/f/4",
                "type": "Follow",
                "actor": ACTOR,
                "object": local_actor.actor_id,
            },
        }
    )
    assert not Follower.objects.exists()


def test_accept_and_reject_of_our_follow(local_actor, remote_actor):
    """Ensures that Accept marks our follow accepted and Reject marks it rejected."""
    following = publishing.follow(local_actor, remote_actor)
    assert following.state == FollowState.PENDING
    deliver(
        {
            "id": f"{REMOTE}/accept/1",
            "type": "Accept",
            "actor": ACTOR,
            "object": following.follow_activity_id,
        }
    )
    following.refresh_from_db()
    assert following.state == FollowState.ACCEPTED
    deliver(
        {
            "id": f"{REMOTE}/reject/1",
            "type": "Reject",
            "actor": ACTOR,
            "object": {"id": following.follow_activity_id, "type": "Follow"},
        }
    )
    following.refresh_from_db()
    assert following.state == FollowState.REJECTED


def test_accept_after_reject_is_refused(local_actor, remote_actor, caplog):
    """Ensures that the follow lifecycle is a state graph: an Accept of a follow they
    rejected changes nothing (and says so), and a repeated Accept is ignored."""
    following = publishing.follow(local_actor, remote_actor)
    reject = {"id": f"{REMOTE}/reject/9", "type": "Reject", "actor": ACTOR}
    deliver({**reject, "object": following.follow_activity_id})
    accept = {"id": f"{REMOTE}/accept/9", "type": "Accept", "actor": ACTOR}
    message = deliver({**accept, "object": following.follow_activity_id})
    following.refresh_from_db()
    assert following.state == FollowState.REJECTED
    assert message.state == InboxState.IGNORED
    assert "refusing rejected → accepted" in caplog.text
    following.state = FollowState.PENDING
    following.save()
    first = deliver({**accept, "id": f"{REMOTE}/accept/10", "object": following.follow_activity_id})
    again = deliver({**accept, "id": f"{REMOTE}/accept/11", "object": following.follow_activity_id})
    assert (first.state, again.state) == (InboxState.PROCESSED, InboxState.IGNORED)


def test_follow_transition_table():
    """Ensures the allowed follow transitions, and nothing else."""
    from interlink_federation.models import FOLLOW_TRANSITIONS

    allowed = {(old, new) for old, targets in FOLLOW_TRANSITIONS.items() for new in targets}
    assert allowed == {
        ("pending", "accepted"),
        ("pending", "rejected"),
        ("accepted", "rejected"),
        ("rejected", "pending"),
    }


def test_vocabulary_iris_stored_as_our_codes(we_follow):
    """Ensures that a catalogue item arriving with ADMS/DCMI IRIs is stored with our codes
    (as the reuse workflow and search read them), the IRIs' precise codes taken from
    interlink:maturity / interlink:assetForm."""
    obj = article(
        kind="asset",
        **{
            "adms:status": "http://purl.org/adms/status/Completed",
            "interlink:maturity": "tested",
            "dct:type": "http://purl.org/dc/dcmitype/Text",
            "interlink:assetForm": "checklist",
        },
    )
    deliver({"id": f"{REMOTE}/c/9", "type": "Create", "actor": ACTOR, "object": obj})
    item = RemoteObject.objects.get()
    assert item.fields["adms:status"] == "tested" and item.fields["dct:type"] == "checklist"
    assert item.document["adms:status"] == "tested"


def test_create_from_followed_actor_enters_catalogue_sanitised(we_follow):
    """Ensures that Create of a call from an actor we follow is stored, with HTML sanitised."""
    deliver({"id": f"{REMOTE}/c/1", "type": "Create", "actor": ACTOR, "object": article()})
    item = RemoteObject.objects.get()
    assert item.kind == "call" and item.actor == we_follow.remote_actor
    assert item.name == "Redesign the library service"
    assert item.summary == "Help us redesign"
    assert "<script" not in item.content_html and "javascript:" not in item.content_html
    assert "onerror" not in item.content_html
    assert 'href="https://remote.example/c"' in item.content_html
    assert item.language == "es" and item.tags == ["#Culture"]
    assert item.fields["adms:status"] == "open"
    assert item.url == f"{REMOTE}/calls/library/"


def test_catalogue_text_is_text_shown_escaped_once(we_follow, client):
    """Ensures that remote titles and summaries are stored as text (entities decoded), so the
    public page shows "Parks & gardens" rather than "Parks &amp; gardens"."""
    obj = article(name="Parks &amp; gardens <i>2027</i>", summary="<p>Trees &lt;3</p>")
    deliver({"id": f"{REMOTE}/c/1", "type": "Create", "actor": ACTOR, "object": obj})
    item = RemoteObject.objects.get()
    assert (item.name, item.summary) == ("Parks & gardens 2027", "Trees <3")
    html = client.get(f"/federated/{item.pk}/").content.decode()
    assert "Parks &amp; gardens 2027" in html and "&amp;amp;" not in html
    assert "Trees &lt;3" in html


def test_create_from_actor_we_do_not_follow_ignored(local_actor, remote_actor):
    """Ensures that objects from actors we do not follow stay out of the catalogue."""
    message = deliver(
        {"id": f"{REMOTE}/c/2", "type": "Create", "actor": ACTOR, "object": article()}
    )
    assert message.state == InboxState.IGNORED and not RemoteObject.objects.exists()


def test_update_and_delete(we_follow):
    """Ensures that Update changes the stored item and Delete removes it from view."""
    deliver(
        {"id": f"{REMOTE}/c/3", "type": "Create", "actor": ACTOR, "object": article(kind="asset")}
    )
    deliver(
        {
            "id": f"{REMOTE}/u/3",
            "type": "Update",
            "actor": ACTOR,
            "object": article(
                kind="asset", name="Library blueprint v2", updated="2026-11-02T10:00:00Z"
            ),
        }
    )
    item = RemoteObject.objects.get()
    assert item.name == "Library blueprint v2" and item.kind == "asset"
    deliver(
        {
            "id": f"{REMOTE}/d/3",
            "type": "Delete",
            "actor": ACTOR,
            "object": {"id": item.uri, "type": "Tombstone"},
        }
    )
    item.refresh_from_db()
    assert item.deleted_at is not None and item.content_html == ""


def test_late_older_update_ignored(we_follow):
    """Ensures that an Update older than what we hold does not overwrite it."""
    deliver(
        {
            "id": f"{REMOTE}/c/5",
            "type": "Create",
            "actor": ACTOR,
            "object": article(updated="2026-11-05T00:00:00Z"),
        }
    )
    deliver(
        {
            "id": f"{REMOTE}/u/5",
            "type": "Update",
            "actor": ACTOR,
            "object": article(name="Old", updated="2026-11-01T00:00:00Z"),
        }
    )
    assert RemoteObject.objects.get().name == "Redesign the library service"


def test_unknown_types_stored_and_ignored(local_actor, remote_actor):
    """Ensures that unknown activity types (and non-Interlink objects) are kept but not errors."""
    message = deliver(
        {"id": f"{REMOTE}/l/1", "type": "Like", "actor": ACTOR, "object": f"{REMOTE}/x"}
    )
    assert message.state == InboxState.IGNORED and message.error == ""
    note = deliver(
        {
            "id": f"{REMOTE}/n/1",
            "type": "Create",
            "actor": ACTOR,
            "object": {"id": f"{REMOTE}/n", "type": "Note"},
        }
    )
    assert note.state == InboxState.IGNORED
    assert InboxMessage.objects.count() == 2


def test_message_processed_once(local_actor, remote_actor):
    """Ensures that processing the same stored message twice has effect once."""
    message = deliver(
        {"id": f"{REMOTE}/f/9", "type": "Follow", "actor": ACTOR, "object": local_actor.actor_id}
    )
    assert handlers.process(message.pk) == "skipped"
    assert OutboxActivity.objects.filter(activity_type="Accept").count() == 1


def test_failing_handler_rolls_back_and_marks_failed(local_actor, remote_actor):
    """Ensures that a handler that raises leaves none of its writes, nor those of the
    handlers that ran before it for the same activity, and the message failed."""

    def half_done(incoming):  # runs after follows.follow stored the follower
        assert Follower.objects.filter(remote_actor=incoming.sender).exists()
        raise RuntimeError("handler broke")

    with table.extra_route("Follow", ANY, half_done):
        message = deliver(
            {
                "id": f"{REMOTE}/f/7",
                "type": "Follow",
                "actor": ACTOR,
                "object": local_actor.actor_id,
            }
        )
    assert message.state == InboxState.FAILED
    assert "handler broke" in message.error and message.processed_at is not None
    assert not Follower.objects.exists()
    assert not OutboxActivity.objects.filter(activity_type="Accept").exists()
    assert handlers.process(message.pk) == "skipped"


def test_unreachable_actor_marks_failed(local_actor, db):
    """Ensures that a message whose actor cannot be fetched ends failed, with the reason."""
    activity = {"id": "https://gone.example/f/1", "type": "Follow"}
    message = InboxMessage.objects.create(
        activity_id=activity["id"],
        activity_type="Follow",
        actor_uri="https://gone.example/users/x",
        body={**activity, "actor": "https://gone.example/users/x"},
    )
    assert handlers.process(message.pk) == InboxState.FAILED
    message.refresh_from_db()
    assert message.state == InboxState.FAILED and message.error
    assert not Follower.objects.exists()


def test_backlog_fetches_each_actor_once_per_run(local_actor, remote_actor, monkeypatch):
    """Ensures that the backlog handles every received message, in order, and looks the
    sender up once per run rather than once per message."""
    from interlink_federation import tasks

    lookups = []
    real = handlers.fetch_remote_actor

    def counting(uri, **kwargs):
        lookups.append(uri)
        return real(uri, **kwargs)

    monkeypatch.setattr(handlers, "fetch_remote_actor", counting)
    for number in range(3):
        InboxMessage.objects.create(
            activity_id=f"{REMOTE}/n/{number}",
            activity_type="Create",
            actor_uri=ACTOR,
            body={
                "id": f"{REMOTE}/n/{number}",
                "type": "Create",
                "actor": ACTOR,
                "object": {"id": f"{REMOTE}/notes/{number}", "type": "Note"},
            },
        )
    assert tasks.process_inbox_backlog.call() == 3
    assert lookups == [ACTOR]
    assert set(InboxMessage.objects.values_list("state", flat=True)) == {InboxState.IGNORED}


# --- the backlog: runs of messages in one transaction ------------------------------------


def create(number: int, obj: dict | None = None) -> dict:
    return {
        "id": f"{REMOTE}/activities/create-{number}",
        "type": "Create",
        "actor": ACTOR,
        "object": obj or {"id": f"{REMOTE}/notes/{number}", "type": "Note", "content": "Hi"},
    }


def backlog_queries(first: int, count: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from interlink_federation import tasks

    for number in range(first, first + count):
        stored(create(number))
    with CaptureQueriesContext(connection) as queries:
        assert tasks.process_inbox_backlog.call() == count
    return len(queries)


def test_backlog_costs_the_same_queries_for_5_or_60_messages(local_actor, remote_actor):
    """Ensures that the backlog handles a run of messages with a fixed number of queries
    (one claiming read, one state update per outcome), not a transaction per message."""
    backlog_queries(200, 1)  # fills the per-process caches (blocklist, sender)
    assert backlog_queries(0, 60) == backlog_queries(100, 5)
    assert set(InboxMessage.objects.values_list("state", flat=True)) == {InboxState.IGNORED}


def test_backlog_run_with_a_failing_message_keeps_the_others(local_actor, remote_actor, we_follow):
    """Ensures that when one handler in a run raises, the others' catalogue entries are
    kept and marked processed, and the failing one leaves no writes and is marked failed."""
    from interlink_federation import tasks

    def breaks_on_the_second(incoming):  # runs after the catalogue stored the object
        if incoming.activity["id"].endswith("create-2"):
            raise RuntimeError("handler broke")
        return False

    messages = [stored(create(number, article(number))) for number in (1, 2, 3)]
    with table.extra_route("Create", ANY, breaks_on_the_second):
        tasks.process_inbox_backlog.call()
    states = {m.pk: m.state for m in InboxMessage.objects.all()}
    assert [states[m.pk] for m in messages] == [
        InboxState.PROCESSED,
        InboxState.FAILED,
        InboxState.PROCESSED,
    ]
    assert "handler broke" in InboxMessage.objects.get(pk=messages[1].pk).error
    assert sorted(RemoteObject.objects.values_list("uri", flat=True)) == [
        f"{REMOTE}/ap/objects/1",
        f"{REMOTE}/ap/objects/3",
    ]


def test_backlog_run_marks_blocked_and_unreachable_senders(local_actor, remote_actor):
    """Ensures that in one run a sender blocked since storing is ignored ("blocked"), an
    unreachable sender's message fails with the reason, and the rest is handled."""
    from interlink_federation import tasks
    from interlink_federation.models import BlockedDomain

    gone, blocked = "https://gone.example/users/x", "https://blocked.example/users/y"
    BlockedDomain.objects.create(domain="blocked.example")
    ok = stored(create(1))
    unreachable = stored({**create(2), "id": "https://gone.example/c/2", "actor": gone}, gone)
    refused = stored({**create(3), "id": "https://blocked.example/c/3", "actor": blocked}, blocked)
    assert tasks.process_inbox_backlog.call() == 3
    rows = {m.pk: m for m in InboxMessage.objects.all()}
    assert rows[ok.pk].state == InboxState.IGNORED and rows[ok.pk].error == ""
    assert rows[unreachable.pk].state == InboxState.FAILED and rows[unreachable.pk].error
    assert (rows[refused.pk].state, rows[refused.pk].error) == (InboxState.IGNORED, "blocked")
    assert all(row.processed_at for row in rows.values())


@pytest.mark.postgres
def test_backlog_skips_messages_another_worker_holds(wagtail_base, local_actor, remote_actor):
    """Ensures that a message locked by another worker's run is left to it (SKIP LOCKED),
    not waited for or handled twice, while the rest of the run is handled."""
    import threading

    from django.db import connection, transaction

    from interlink_federation import tasks

    held, free = stored(create(1)), stored(create(2))
    locked, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                InboxMessage.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        assert tasks.process_inbox_backlog.call() == 1
    finally:
        release.set()
        thread.join()
    assert InboxMessage.objects.get(pk=held.pk).state == InboxState.RECEIVED
    assert InboxMessage.objects.get(pk=free.pk).state == InboxState.IGNORED
