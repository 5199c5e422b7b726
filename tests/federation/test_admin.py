"""The Federation admin: follow by handle, follows, followers, catalogue, deliveries, blocklists."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from interlink_federation.models import (
    BlockedDomain,
    Delivery,
    DeliveryState,
    Follower,
    Following,
    FollowState,
    OutboxActivity,
    RemoteActor,
    RemoteObject,
)


@pytest.fixture
def admin_client(client, local_actor):
    user = User.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def remote_town(listener, settings, other_keypair):
    """Ensures a municipality served on loopback: WebFinger and actor document."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    actor_id = f"{listener.base}/users/town"
    listener.json_route(
        f"/.well-known/webfinger?resource=acct%3Atown%40127.0.0.1%3A{listener.port}",
        {
            "subject": "acct:town",
            "links": [{"rel": "self", "type": "application/activity+json", "href": actor_id}],
        },
    )
    listener.json_route(
        "/users/town",
        {
            "id": actor_id,
            "type": "Organization",
            "preferredUsername": "town",
            "name": "Town on loopback",
            "inbox": f"{actor_id}/inbox",
            "endpoints": {"sharedInbox": f"{listener.base}/inbox"},
            "publicKey": {
                "id": f"{actor_id}#main-key",
                "owner": actor_id,
                "publicKeyPem": other_keypair[0],
            },
        },
    )
    return actor_id


@pytest.mark.parametrize(
    "path",
    [
        "/admin/federation/follow/",
        "/admin/federation/following/",
        "/admin/federation/following/new/",
        "/admin/federation/followers/",
        "/admin/federation/catalogue/",
        "/admin/federation/deliveries/",
        "/admin/federation/hosts/",
        "/admin/federation/blocked-domains/",
        "/admin/federation/blocked-domains/import/",
        "/admin/federation/blocked-actors/",
        "/admin/federation/identity/",
    ],
)
def test_admin_pages_load(admin_client, path):
    """Ensures that every Federation admin page renders for an administrator."""
    assert admin_client.get(path).status_code == 200


def test_menu_has_federation_group(admin_client):
    """Ensures that the admin menu shows the Federation group."""
    assert "Federation" in admin_client.get("/admin/").content.decode()


def test_follow_by_handle(admin_client, listener, remote_town):
    """Ensures that following @town@host resolves WebFinger, fetches the actor (signed) and sends Follow."""
    response = admin_client.post(
        "/admin/federation/follow/", {"target": f"@town@127.0.0.1:{listener.port}"}
    )
    assert response.status_code == 302
    following = Following.objects.get()
    assert following.state == FollowState.PENDING
    assert following.remote_actor.uri == remote_town
    follow = OutboxActivity.objects.get(activity_type="Follow")
    assert list(follow.deliveries.values_list("inbox", flat=True)) == [f"{remote_town}/inbox"]
    actor_fetch = [hit for hit in listener.hits if hit["path"] == "/users/town"][0]
    assert "keyId=" in actor_fetch["headers"]["Signature"]


def test_follow_by_url(admin_client, remote_town):
    """Ensures that following by actor URL works too."""
    assert (
        admin_client.post("/admin/federation/follow/", {"target": remote_town}).status_code == 302
    )
    assert Following.objects.get().remote_actor.uri == remote_town


@pytest.mark.parametrize(
    "target", ["not a handle", "@nobody@127.0.0.1:1", "ftp://example.org/actor"]
)
def test_follow_errors_shown_and_nothing_saved(admin_client, settings, target):
    """Ensures that an unresolvable handle shows an error and saves nothing."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    response = admin_client.post("/admin/federation/follow/", {"target": target})
    assert response.status_code == 200
    assert "Could not find that municipality" in response.content.decode()
    assert not Following.objects.exists() and not OutboxActivity.objects.exists()


def test_unfollow(admin_client, local_actor, remote_actor):
    """Ensures that unfollowing sends Undo and removes the follow."""
    following = Following.objects.create(
        local_actor=local_actor,
        remote_actor=remote_actor,
        state=FollowState.ACCEPTED,
        follow_activity_id="http://testserver/ap/activities/1",
    )
    assert (
        admin_client.get(f"/admin/federation/following/{following.pk}/unfollow/").status_code == 200
    )
    assert (
        admin_client.post(f"/admin/federation/following/{following.pk}/unfollow/").status_code
        == 302
    )
    assert not Following.objects.exists()
    undo = OutboxActivity.objects.get(activity_type="Undo")
    assert undo.document["object"]["id"] == "http://testserver/ap/activities/1"


def test_approve_and_remove_followers(admin_client, local_actor, remote_actor):
    """Ensures that approving sends Accept and removing sends Reject and deletes the follower."""
    follower = Follower.objects.create(
        local_actor=local_actor,
        remote_actor=remote_actor,
        follow_activity_id="https://remote.example/f/1",
    )
    listing = admin_client.get("/admin/federation/followers/").content.decode()
    assert f"/admin/federation/followers/{follower.pk}/approve/" in listing
    admin_client.post(f"/admin/federation/followers/{follower.pk}/approve/")
    follower.refresh_from_db()
    assert follower.state == FollowState.ACCEPTED
    assert OutboxActivity.objects.filter(activity_type="Accept").count() == 1
    assert (
        admin_client.post(f"/admin/federation/followers/{follower.pk}/approve/").status_code == 404
    )
    admin_client.post(f"/admin/federation/followers/{follower.pk}/remove/")
    assert not Follower.objects.exists()
    assert OutboxActivity.objects.filter(activity_type="Reject").count() == 1


def test_delivery_status_and_retry(admin_client, local_actor, remote_actor, make_call):
    """Ensures that deliveries show their state and 'retry now' re-queues a failed one: its
    state and next attempt change."""
    from django.utils import timezone

    Follower.objects.create(
        local_actor=local_actor,
        remote_actor=remote_actor,
        state=FollowState.ACCEPTED,
        follow_activity_id="https://remote.example/f/1",
    )
    make_call()
    row = Delivery.objects.get()
    Delivery.objects.filter(pk=row.pk).update(
        state=DeliveryState.FAILED, attempts=3, last_status=503, next_attempt_at=None
    )
    listing = admin_client.get("/admin/federation/deliveries/?state=failed").content.decode()
    assert (
        "https://remote.example/inbox" in listing
        and f"/admin/federation/deliveries/{row.pk}/retry/" in listing
    )
    before = timezone.now()
    response = admin_client.post(f"/admin/federation/deliveries/{row.pk}/retry/")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == DeliveryState.QUEUED
    assert row.next_attempt_at is not None and before <= row.next_attempt_at <= timezone.now()


def test_host_status_and_retry_now(
    admin_client, local_actor, listener, settings, django_capture_on_commit_callbacks
):
    """Ensures that the per-server view shows a paused server (until when, what waits, the
    last error) and that 'retry now' resumes it and sends what was parked."""
    from datetime import timedelta

    from django.utils import timezone

    from interlink_federation.models import HostHealth

    settings.FEDERATION_ALLOW_LOOPBACK = True
    host = f"127.0.0.1:{listener.port}"
    until = timezone.now() + timedelta(hours=3)
    health = HostHealth.objects.create(
        host=host,
        consecutive_failures=6,
        failing_since=timezone.now() - timedelta(hours=1),
        paused_until=until,
        last_error="HTTP 503",
    )
    activity = OutboxActivity.objects.create(
        local_actor=local_actor,
        activity_id="http://testserver/ap/activities/parked",
        activity_type="Create",
        document={"id": "http://testserver/ap/activities/parked", "type": "Create"},
    )
    for path in ("/inbox", "/users/1/inbox"):
        Delivery.objects.create(
            activity=activity, inbox=f"{listener.base}{path}", host=host, next_attempt_at=until
        )
    HostHealth.objects.create(host="healthy.example", last_success_at=timezone.now())
    listing = admin_client.get("/admin/federation/hosts/").content.decode()
    assert host in listing and "paused until" in listing and "HTTP 503" in listing
    assert "healthy.example" in listing and "ok" in listing
    assert f"/admin/federation/hosts/{health.pk}/retry/" in listing
    assert ">2<" in listing.replace(" ", "").replace("\n", "")  # two deliveries waiting
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/federation/hosts/{health.pk}/retry/")
    assert response.status_code == 302
    health.refresh_from_db()
    assert health.paused_until is None
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED}
    assert sorted(hit["path"] for hit in listener.hits) == ["/inbox", "/users/1/inbox"]


def test_catalogue_filters(admin_client, remote_actor):
    """Ensures that the catalogue lists remote items and filters them by kind."""
    RemoteObject.objects.create(
        uri="https://remote.example/o/1",
        actor=remote_actor,
        kind="call",
        ap_type="Article",
        name="Library call",
    )
    RemoteObject.objects.create(
        uri="https://remote.example/o/2",
        actor=remote_actor,
        kind="asset",
        ap_type="Article",
        name="Park blueprint",
    )
    calls = admin_client.get("/admin/federation/catalogue/?kind=call").content.decode()
    assert "Library call" in calls and "Park blueprint" not in calls


def test_blocklist_csv_import(admin_client):
    """Ensures that Mastodon's blocklist CSV imports domains with their severity."""
    data = (
        "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n"
        "spam.example,suspend,true,true,Spam,false\n"
        "loud.example,silence,false,false,,false\n"
        "bad row,suspend,,,,\n"
    )
    upload = SimpleUploadedFile("blocklist.csv", data.encode(), content_type="text/csv")
    response = admin_client.post("/admin/federation/blocked-domains/import/", {"csv_file": upload})
    assert response.status_code == 302
    assert dict(BlockedDomain.objects.values_list("domain", "severity")) == {
        "spam.example": "suspend",
        "loud.example": "silence",
    }


def test_plain_domain_list_import(admin_client):
    """Ensures that a headerless one-domain-per-line file imports too."""
    upload = SimpleUploadedFile("list.csv", b"one.example\ntwo.example\n", content_type="text/csv")
    admin_client.post("/admin/federation/blocked-domains/import/", {"csv_file": upload})
    assert BlockedDomain.objects.count() == 2


def test_identity_edit_manual_approval(admin_client, local_actor):
    """Ensures that the node identity's manual approval setting can be changed."""
    response = admin_client.post(
        f"/admin/federation/identity/edit/{local_actor.pk}/",
        {"username": "city", "summary": "Our city", "manually_approves_followers": "on"},
    )
    assert response.status_code == 302
    local_actor.refresh_from_db()
    assert local_actor.manually_approves_followers and local_actor.username == "city"


def test_permissions_respected(client, local_actor, remote_actor):
    """Ensures that an editor without federation permissions can neither follow nor see followers."""
    editor = User.objects.create_user("editor", "e@example.org", "pw")
    group = Group.objects.create(name="No federation rights")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    client.force_login(editor)
    follower = Follower.objects.create(
        local_actor=local_actor,
        remote_actor=remote_actor,
        follow_activity_id="https://remote.example/f/1",
    )
    # Wagtail answers PermissionDenied in the admin with a redirect to the dashboard.
    assert client.post("/admin/federation/follow/", {"target": "@a@b.example"}).status_code in (
        302,
        403,
    )
    assert client.post(f"/admin/federation/followers/{follower.pk}/remove/").status_code in (
        302,
        403,
    )
    assert client.get("/admin/federation/followers/").status_code in (302, 403)
    assert (
        Follower.objects.count() == 1
        and not RemoteActor.objects.exclude(pk=remote_actor.pk).exists()
    )
    assert not Following.objects.exists() and not OutboxActivity.objects.exists()
