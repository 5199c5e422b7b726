"""Blocks act outbound too: followers, follows, waiting deliveries and catalogue items of a
blocked server or actor are cut (visibly), search hears of it, and unblocking restores
nothing but lets new activities in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db.models import Q

from interlink_federation import delivery, handlers
from interlink_federation.models import (
    BlockedActor,
    BlockedDomain,
    Delivery,
    DeliveryState,
    Follower,
    Following,
    FollowState,
    InboxMessage,
    InboxState,
    OutboxActivity,
    RemoteActor,
    RemoteObject,
)

from .conftest import REMOTE
from .test_inbox import follow


@pytest.fixture
def admin_client(client, local_actor):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "pw"))
    return client


@pytest.fixture
def relations(local_actor, remote_actor):
    """Ensures a followed and following town on remote.example with a catalogue item, and a
    follower on another server that a block of remote.example must not touch."""
    other = RemoteActor.objects.create(
        uri="https://other.example/users/village",
        domain="other.example",
        inbox="https://other.example/users/village/inbox",
    )
    for remote in (remote_actor, other):
        Follower.objects.create(
            local_actor=local_actor,
            remote_actor=remote,
            state=FollowState.ACCEPTED,
            follow_activity_id=f"{remote.uri}/follows/1",
        )
    Following.objects.create(
        local_actor=local_actor,
        remote_actor=remote_actor,
        state=FollowState.ACCEPTED,
        follow_activity_id=f"{local_actor.base_url}/ap/activities/follow-town",
    )
    item = RemoteObject.objects.create(
        uri=f"{REMOTE}/ap/objects/1",
        actor=remote_actor,
        kind="call",
        ap_type="Article",
        name="Redesign the library service",
        summary="Help us redesign it",
        content_html="<p>Join us</p>",
    )
    return {"town": remote_actor, "other": other, "item": item}


def waiting_states() -> dict[str, str]:
    return dict(Delivery.objects.values_list("host", "state"))


def search_updates(key: str) -> list[str]:
    from interlink_search.models import PendingUpdate

    return list(PendingUpdate.objects.filter(key=key).values_list("action", flat=True))


def test_domain_block_cuts_everything_outbound(admin_client, relations, make_call):
    """Ensures that blocking a domain in the admin removes its followers and our follows,
    cancels deliveries waiting for it (visibly), and hides its catalogue items from the
    public catalogue, the admin catalogue and search."""
    from interlink_search.models import PendingUpdate

    make_call()
    assert waiting_states() == {"remote.example": "queued", "other.example": "queued"}
    PendingUpdate.objects.all().delete()
    response = admin_client.post(
        "/admin/federation/blocked-domains/new/",
        {"domain": "remote.example", "severity": "suspend", "public_comment": "spam"},
    )
    assert response.status_code == 302
    assert list(Follower.objects.values_list("remote_actor__uri", flat=True)) == [
        relations["other"].uri
    ]
    assert not Following.objects.exists()
    cancelled = Delivery.objects.get(host="remote.example")
    assert cancelled.state == DeliveryState.CANCELLED and "blocked" in cancelled.last_error
    assert Delivery.objects.get(host="other.example").state == DeliveryState.QUEUED
    item = relations["item"]
    item.refresh_from_db()
    assert item.deleted_at is not None and item.content_html == ""
    assert "Redesign the library" not in admin_client.get("/federated/").content.decode()
    assert admin_client.get(f"/federated/{item.pk}/").status_code == 404
    admin_listing = admin_client.get("/admin/federation/catalogue/").content.decode()
    assert "Redesign the library" not in admin_listing
    assert search_updates(f"remote:{item.uri}") == ["upsert"]
    deliveries_listing = admin_client.get("/admin/federation/deliveries/").content.decode()
    assert "cancelled" in deliveries_listing.lower()
    # What we publish next goes to the remaining follower only.
    make_call(title="Next call", slug="next-call")
    latest = OutboxActivity.objects.filter(activity_type="Create").latest("pk")
    assert list(latest.deliveries.values_list("host", flat=True)) == ["other.example"]


def test_parent_domain_block_covers_subdomains(relations, make_call):
    """Ensures that a block of a parent domain cuts its subdomains and leaves others."""
    make_call()
    BlockedDomain.objects.create(domain="example")  # remote.example and other.example
    assert not Follower.objects.exists()
    assert set(waiting_states().values()) == {DeliveryState.CANCELLED}


def test_noop_severity_cuts_nothing(relations, make_call):
    """Ensures that a 'no operation' entry (an annotation, not a block) changes nothing."""
    make_call()
    BlockedDomain.objects.create(domain="remote.example", severity="noop")
    assert Follower.objects.count() == 2 and Following.objects.count() == 1
    assert set(waiting_states().values()) == {DeliveryState.QUEUED}


def test_actor_block_cuts_that_actor_only(admin_client, relations, make_call):
    """Ensures that blocking one actor removes its follow relations and items, cancels
    deliveries to its own inbox, and leaves its server's shared inbox to the others."""
    town = relations["town"]
    activity = OutboxActivity.objects.create(
        local_actor=town.following_us.get().local_actor,
        activity_id="http://testserver/ap/activities/accept-1",
        activity_type="Accept",
        document={},
        public=False,
    )
    personal = Delivery.objects.create(activity=activity, inbox=town.inbox, host="remote.example")
    shared = Delivery.objects.create(
        activity=activity, inbox=town.shared_inbox, host="remote.example"
    )
    response = admin_client.post(
        "/admin/federation/blocked-actors/new/", {"uri": town.uri, "comment": ""}
    )
    assert response.status_code == 302
    assert not Follower.objects.filter(remote_actor=town).exists()
    assert Follower.objects.filter(remote_actor=relations["other"]).exists()
    assert not Following.objects.exists()
    personal.refresh_from_db()
    shared.refresh_from_db()
    assert personal.state == DeliveryState.CANCELLED and shared.state == DeliveryState.QUEUED
    relations["item"].refresh_from_db()
    assert relations["item"].deleted_at is not None


def test_deliveries_created_after_a_block_are_cancelled_not_sent(local_actor, listener, settings):
    """Ensures that a delivery to a blocked server that appears after the block (a race, an
    old task) is cancelled when claimed: no request reaches the server."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    BlockedDomain.objects.create(domain="127.0.0.1")
    activity = OutboxActivity.objects.create(
        local_actor=local_actor,
        activity_id="http://testserver/ap/activities/late",
        activity_type="Create",
        document={"id": "http://testserver/ap/activities/late", "type": "Create"},
    )
    row = Delivery.objects.create(
        activity=activity, inbox=f"{listener.base}/inbox", host=f"127.0.0.1:{listener.port}"
    )
    assert delivery.send_claimed(delivery.claim(Q())) == []
    row.refresh_from_db()
    assert row.state == DeliveryState.CANCELLED
    assert listener.hits == []


def test_actor_block_without_a_scheme_is_stored_as_https(admin_client, db):
    """Ensures that an actor id typed without its scheme in the admin is read as https://
    (actor ids are https), not http://."""
    response = admin_client.post(
        "/admin/federation/blocked-actors/new/", {"uri": "spam.example/users/x", "comment": ""}
    )
    assert response.status_code == 302
    assert BlockedActor.objects.get().uri == "https://spam.example/users/x"


def test_message_stored_before_the_block_is_not_handled(local_actor, remote_actor, monkeypatch):
    """Ensures that an activity stored before its sender was blocked is marked ignored when
    handled, without fetching anything or touching the catalogue."""
    message = InboxMessage.objects.create(
        activity_id=f"{REMOTE}/activities/create-9",
        activity_type="Create",
        actor_uri=remote_actor.uri,
        body={"id": f"{REMOTE}/activities/create-9", "type": "Create", "actor": remote_actor.uri},
    )
    BlockedActor.objects.create(uri=remote_actor.uri)

    def refuse(*args, **kwargs):
        raise AssertionError("fetched a blocked actor")

    monkeypatch.setattr(handlers, "fetch_remote_actor", refuse)
    assert handlers.process(message.pk) == InboxState.IGNORED


def test_unblocking_restores_nothing_but_accepts_new_activities(
    relations, post_inbox, local_actor, remote_key
):
    """Ensures that after unblocking, the removed follows and emptied items stay so, and
    the server's new activities are accepted again."""
    block = BlockedDomain.objects.create(domain="remote.example")
    assert post_inbox(follow(local_actor, 1), remote_key).status_code == 403
    block.delete()
    item = relations["item"]
    item.refresh_from_db()
    assert item.deleted_at is not None and item.content_html == ""
    assert not Following.objects.exists()
    assert post_inbox(follow(local_actor, 2), remote_key).status_code == 202
