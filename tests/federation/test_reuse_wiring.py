"""Federation's calls into reuse and participation: reuse links, inbox dispatch, upstream
deletes, addressing the origin of a reused page, and a call's ``replies`` collection."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from interlink_blocks.participation.models import Contribution, Support
from interlink_blocks.participation.services.contributions import set_state
from interlink_blocks.reuse.models import Provenance, ProvenanceState, ReuseNotice
from interlink_federation import handlers
from interlink_federation.models import (
    Following,
    FollowState,
    InboxMessage,
    InboxState,
    OutboxActivity,
    RemoteObject,
)

from .conftest import REMOTE

ACTOR = f"{REMOTE}/users/town"
OBJECT = f"{REMOTE}/ap/objects/7"


def deliver(activity: dict) -> InboxMessage:
    """Stores a message as the inbox would and runs the handler task body on it."""
    message = InboxMessage.objects.create(
        activity_id=activity["id"], activity_type=activity["type"], actor_uri=ACTOR, body=activity
    )
    handlers.process(message.pk)
    message.refresh_from_db()
    return message


def remote_asset_document(**extra) -> dict:
    return {
        "id": OBJECT,
        "type": "Article",
        "attributedTo": ACTOR,
        "name": "Library blueprint",
        "summary": "How we redesigned it",
        "content": "<p>Blueprint</p>",
        "url": f"{REMOTE}/assets/library/",
        "updated": "2026-11-01T10:00:00Z",
        "interlink:kind": "asset",
        "dct:license": "http://spdx.org/licenses/CC-BY-4.0",
        **extra,
    }


def catalogue_item(remote_actor, **fields) -> RemoteObject:
    values = {
        "uri": OBJECT,
        "actor": remote_actor,
        "kind": "asset",
        "ap_type": "Article",
        "name": "Library blueprint",
        "document": remote_asset_document(),
    }
    values.update(fields)
    return RemoteObject.objects.create(**values)


def reuse_of(page, origin_object_id: str = OBJECT, actor_url: str = ACTOR) -> Provenance:
    return Provenance.objects.create(
        page=page,
        origin_identifier="urn:uuid:7d3c5d0e-7b8d-4f57-9d8c-1b0a3e1f2a11",
        origin_object_id=origin_object_id,
        origin_name="Town of Remote",
        origin_actor_url=actor_url,
        licence="CC-BY-4.0",
        channel="federation",
        applied_snapshot={"dct:title": "Library blueprint"},
    )


@pytest.fixture
def we_follow(local_actor, remote_actor):
    return Following.objects.create(
        local_actor=local_actor,
        remote_actor=remote_actor,
        state=FollowState.ACCEPTED,
        follow_activity_id=f"{local_actor.base_url}/ap/activities/f1",
    )


@pytest.fixture
def editor(db):
    return User.objects.create_superuser("editor", "editor@example.org", "pw")


# 1. "Reuse in my site" ----------------------------------------------------------------


def test_admin_catalogue_offers_reuse(client, editor, local_actor, remote_actor):
    """Ensures that the admin catalogue listing and inspect page link to the reuse view."""
    item = catalogue_item(remote_actor)
    client.force_login(editor)
    listing = client.get("/admin/federation/catalogue/").content.decode()
    inspect = client.get(f"/admin/federation/catalogue/inspect/{item.pk}/").content.decode()
    link = "/admin/reuse/remote/?object=https%3A%2F%2Fremote.example%2Fap%2Fobjects%2F7"
    assert link in listing
    assert link in inspect
    assert "Reuse in my site" in inspect


def test_admin_catalogue_no_reuse_for_deleted_items(client, editor, local_actor, remote_actor):
    """Ensures that a withdrawn item offers no reuse link."""
    item = catalogue_item(remote_actor, deleted_at=timezone.now())
    client.force_login(editor)
    inspect = client.get(f"/admin/federation/catalogue/inspect/{item.pk}/").content.decode()
    assert "/admin/reuse/remote/" not in inspect


def test_public_page_shows_reuse_only_to_staff(client, editor, local_actor, remote_actor):
    """Ensures that the public item page shows "Reuse in my site" to staff, never to visitors."""
    item = catalogue_item(remote_actor)
    anonymous = client.get(f"/federated/{item.pk}/").content.decode()
    assert "/admin/reuse/remote/" not in anonymous and "Reuse in my site" not in anonymous
    citizen = User.objects.create_user("citizen", "c@example.org", "pw")
    client.force_login(citizen)
    assert "/admin/reuse/remote/" not in client.get(f"/federated/{item.pk}/").content.decode()
    client.force_login(editor)
    staff = client.get(f"/federated/{item.pk}/").content.decode()
    assert "/admin/reuse/remote/?object=https%3A%2F%2Fremote.example%2Fap%2Fobjects%2F7" in staff


# 2. Inbox dispatch ---------------------------------------------------------------------


PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def reply_to(call, local_actor, number: int = 1, to=(PUBLIC,)) -> dict:
    note = {
        "id": f"{REMOTE}/users/town/statuses/{number}",
        "type": "Note",
        "attributedTo": ACTOR,
        "to": list(to),
        "inReplyTo": local_actor.object_url(call.uuid),
        "content": "<p>Please add <b>evening</b> slots.</p><script>x()</script>",
    }
    return {"id": f"{note['id']}/activity", "type": "Create", "actor": ACTOR, "object": note}


def test_signed_reply_from_unfollowed_actor_lands_in_moderation(
    post_inbox, local_actor, remote_key, make_call, django_capture_on_commit_callbacks
):
    """Ensures that a signed reply from an actor we do not follow becomes a pending comment."""
    call = make_call()
    assert not Following.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_inbox(reply_to(call, local_actor), remote_key)
    assert response.status_code == 202
    assert InboxMessage.objects.get().state == InboxState.PROCESSED
    contribution = Contribution.objects.get()
    assert contribution.call_id == call.pk and contribution.state == "pending"
    assert contribution.source == "fediverse" and contribution.remote_actor_url == ACTOR
    assert contribution.author_name == "Town of Remote"
    assert contribution.body == "Please add evening slots."
    assert not RemoteObject.objects.exists()


def test_private_reply_is_stored_and_ignored(local_actor, remote_actor, make_call):
    """Ensures that a followers-only reply to a call is kept as an ignored inbox message and
    never becomes a (later public) comment."""
    call = make_call()
    message = deliver(reply_to(call, local_actor, to=[f"{ACTOR}/followers"]))
    assert message.state == InboxState.IGNORED
    assert not Contribution.objects.exists()


def test_blocked_actor_reply_changes_nothing(
    post_inbox, local_actor, remote_key, make_call, django_capture_on_commit_callbacks
):
    """Ensures that a reply from a blocked actor is refused before anything is stored."""
    from interlink_federation.models import BlockedActor

    call = make_call()
    BlockedActor.objects.create(uri=ACTOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_inbox(reply_to(call, local_actor), remote_key)
    assert response.status_code == 403
    assert not InboxMessage.objects.exists() and not Contribution.objects.exists()


def test_like_and_undo_from_unfollowed_actor(
    post_inbox, local_actor, remote_key, make_call, django_capture_on_commit_callbacks
):
    """Ensures that a signed Like of a call from an actor we do not follow counts as a
    support, and its signed Undo withdraws it."""
    call = make_call()
    like = {"id": f"{REMOTE}/likes/1", "type": "Like", "actor": ACTOR,
            "object": local_actor.object_url(call.uuid)}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert post_inbox(like, remote_key).status_code == 202
    assert InboxMessage.objects.get(activity_id=like["id"]).state == InboxState.PROCESSED
    assert Support.objects.filter(call=call).count() == 1
    undo = {"id": f"{REMOTE}/likes/1/undo", "type": "Undo", "actor": ACTOR, "object": like}
    with django_capture_on_commit_callbacks(execute=True):
        assert post_inbox(undo, remote_key).status_code == 202
    assert InboxMessage.objects.get(activity_id=undo["id"]).state == InboxState.PROCESSED
    assert Support.objects.filter(call=call).count() == 0


def test_author_delete_removes_reply(local_actor, remote_actor, make_call):
    """Ensures that the author's Delete of their reply removes the contribution."""
    call = make_call()
    deliver(reply_to(call, local_actor))
    assert Contribution.objects.count() == 1
    note_id = f"{REMOTE}/users/town/statuses/1"
    deliver({"id": f"{note_id}#delete", "type": "Delete", "actor": ACTOR, "object": note_id})
    assert not Contribution.objects.exists()


def test_reuse_notice_from_unfollowed_actor_counts(local_actor, remote_actor, make_asset):
    """Ensures that another node's Create of a copy of our asset records "reused by" (the
    message processed), without putting the copy in our catalogue (we do not follow that
    node)."""
    asset = make_asset()
    copy = remote_asset_document(
        **{
            "prov:wasDerivedFrom": local_actor.object_url(asset.uuid),
            "dct:isVersionOf": local_actor.object_url(asset.uuid),
        }  # fmt: skip
    )
    message = deliver({"id": f"{REMOTE}/a/1", "type": "Create", "actor": ACTOR, "object": copy})
    notice = ReuseNotice.objects.get()
    assert notice.page_id == asset.pk and notice.actor_url == ACTOR
    assert notice.copy_object_id == OBJECT
    assert message.state == InboxState.PROCESSED and not RemoteObject.objects.exists()


def test_catalogue_still_limited_to_followed_actors(local_actor, remote_actor):
    """Ensures that an unfollowed actor's asset does not enter the catalogue, a followed one's does."""
    create = {"id": f"{REMOTE}/a/2", "type": "Create", "actor": ACTOR,
              "object": remote_asset_document()}  # fmt: skip
    assert deliver(create).state == InboxState.IGNORED
    assert not RemoteObject.objects.exists()
    Following.objects.create(local_actor=local_actor, remote_actor=remote_actor,
                             state=FollowState.ACCEPTED, follow_activity_id="x")  # fmt: skip
    deliver({**create, "id": f"{REMOTE}/a/3"})
    assert RemoteObject.objects.get().uri == OBJECT


# 3. Upstream update and delete ----------------------------------------------------------


def test_upstream_update_marks_reuse_changed(we_follow, remote_actor, make_asset):
    """Ensures that an Update of a reused catalogue item marks the reuse "upstream changed"."""
    catalogue_item(remote_actor)
    provenance = reuse_of(make_asset(publish=False))
    document = remote_asset_document(name="Library blueprint v2", updated="2026-11-05T10:00:00Z")
    message = deliver({"id": f"{REMOTE}/u/1", "type": "Update", "actor": ACTOR, "object": document})
    assert message.state == InboxState.PROCESSED
    provenance.refresh_from_db()
    assert provenance.state == ProvenanceState.UPSTREAM_CHANGED
    assert provenance.received_snapshot.get("dct:title") == "Library blueprint v2"


def test_upstream_delete_marks_reuse_withdrawn(we_follow, remote_actor, make_asset):
    """Ensures that the origin's Delete of a reused item marks the reuse "origin withdrawn"
    and keeps the local copy."""
    catalogue_item(remote_actor)
    asset = make_asset(publish=False)
    provenance = reuse_of(asset)
    tombstone = {"id": OBJECT, "type": "Tombstone"}
    message = deliver(
        {"id": f"{REMOTE}/d/1", "type": "Delete", "actor": ACTOR, "object": tombstone}
    )
    assert message.state == InboxState.PROCESSED
    provenance.refresh_from_db()
    assert provenance.state == ProvenanceState.ORIGIN_WITHDRAWN
    assert type(asset).objects.filter(pk=asset.pk).exists()


# 4. Publishing a reused page -----------------------------------------------------------


def test_publishing_a_reuse_addresses_the_origin(client, local_actor, remote_actor, make_asset):
    """Ensures that publishing a reused asset puts the origin actor in cc and delivers to its
    inbox even though it does not follow us; the object names its origin."""
    asset = make_asset(publish=False)
    reuse_of(asset)
    asset.save_revision().publish()
    create = OutboxActivity.objects.get(activity_type="Create")
    assert ACTOR in create.document["cc"] and ACTOR in create.document["object"]["cc"]
    assert create.document["object"]["prov:wasDerivedFrom"] == OBJECT
    assert list(create.deliveries.values_list("inbox", flat=True)) == [remote_actor.delivery_inbox]
    served = client.get(f"/ap/objects/{asset.uuid}", HTTP_ACCEPT="application/activity+json")
    assert ACTOR in json.loads(served.content)["cc"]


def test_publishing_a_reuse_with_unreachable_origin_still_publishes(local_actor, make_asset):
    """Ensures that an origin actor we cannot fetch is named in cc but blocks nothing."""
    asset = make_asset(publish=False)
    reuse_of(asset, actor_url="https://gone.example/users/x")
    asset.save_revision().publish()
    create = OutboxActivity.objects.get(activity_type="Create")
    assert "https://gone.example/users/x" in create.document["cc"]
    assert not create.deliveries.exists()


def test_ordinary_pages_address_only_followers(local_actor, make_asset):
    """Ensures that a page that is not a reuse adds nobody to cc."""
    make_asset()
    create = OutboxActivity.objects.get(activity_type="Create")
    assert create.document["cc"] == [local_actor.followers_url]


# 5. Replies collection -----------------------------------------------------------------


def test_call_object_has_replies_collection(client, local_actor, remote_actor, make_call):
    """Ensures that a call's AS object links a replies collection listing approved
    contributions: fediverse replies by id, local ones as Notes; pending ones not at all."""
    call = make_call()
    document = json.loads(
        client.get(f"/ap/objects/{call.uuid}", HTTP_ACCEPT="application/activity+json").content
    )
    replies_url = document["replies"]
    assert replies_url == f"{local_actor.object_url(call.uuid)}/replies"
    deliver(reply_to(call, local_actor, 1))
    deliver(reply_to(call, local_actor, 2))
    remote_reply = Contribution.objects.get(remote_object_id=f"{REMOTE}/users/town/statuses/1")
    set_state(remote_reply, "approved")
    local = Contribution.objects.create(
        call=call, body="Open on Saturdays <too>", author_name="Ana"
    )
    set_state(local, "approved")
    path = replies_url.removeprefix(local_actor.base_url)
    collection = json.loads(client.get(path).content)
    assert collection["type"] == "OrderedCollection" and collection["totalItems"] == 2
    items = json.loads(client.get(path + "?page=1").content)["orderedItems"]
    assert items[0] == f"{REMOTE}/users/town/statuses/1"
    assert items[1]["type"] == "Note" and "Open on Saturdays &lt;too&gt;" in items[1]["content"]
    assert items[1]["inReplyTo"] == document["id"]


def test_replies_of_unknown_or_draft_call_is_404(client, local_actor, make_call):
    """Ensures that drafts and unknown ids have no replies collection."""
    draft = make_call(publish=False)
    assert client.get(f"/ap/objects/{draft.uuid}/replies").status_code == 404
    assert client.get("/ap/objects/7d3c5d0e-7b8d-4f57-9d8c-1b0a3e1f2a11/replies").status_code == 404


def test_reuse_downloads_through_the_guarded_client_without_a_setting(settings, monkeypatch):
    """Ensures that with federation and reuse installed, reused files are fetched through
    federation's guarded client though the host set no INTERLINK_REUSE_HTTP_CLIENT, and
    that the setting still overrides it."""
    from interlink_blocks.reuse import files
    from interlink_federation.client import guarded_request

    assert not hasattr(settings, "INTERLINK_REUSE_HTTP_CLIENT")
    assert files._offered_client is guarded_request
    monkeypatch.setattr(files, "_offered_client", named_client("the offered client"))
    with pytest.raises(RuntimeError, match="the offered client: GET https://example.org/a.pdf"):
        files.configured_fetch()("https://example.org/a.pdf", 10)
    settings.INTERLINK_REUSE_HTTP_CLIENT = "tests.federation.test_reuse_wiring.settings_client"
    with pytest.raises(RuntimeError, match="the setting's client"):
        files.configured_fetch()("https://example.org/a.pdf", 10)


def named_client(name):
    def request(method, url, **kwargs):
        raise RuntimeError(f"{name}: {method} {url}")

    return request


settings_client = named_client("the setting's client")
