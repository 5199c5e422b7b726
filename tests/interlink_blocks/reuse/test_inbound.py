"""The entry point federation's inbox worker calls for reuse and fediverse participation."""

from interlink_blocks.participation.models import Contribution, Support
from interlink_blocks.reuse.inbound import handle_activity
from interlink_blocks.reuse.models import ReuseNotice

ACTOR = "http://127.0.0.1:9/users/maria"


def test_reply_like_undo_delete(make_call):
    """Ensures that replies and Likes are consumed, Undo withdraws, and the author's Delete removes."""
    call = make_call()
    object_id = f"http://localhost/ap/objects/{call.uuid}"
    reply = {"id": ACTOR + "/statuses/9", "type": "Note", "inReplyTo": object_id,
             "content": "<p>Count me in.</p>"}  # fmt: skip
    assert handle_activity({"type": "Create", "object": reply}, actor_url=ACTOR, actor_name="Maria")
    assert Contribution.objects.get().body == "Count me in."
    assert handle_activity({"type": "Like", "object": object_id}, actor_url=ACTOR)
    assert Support.objects.count() == 1
    undo = {"type": "Undo", "object": {"type": "Like", "object": object_id}}
    assert handle_activity(undo, actor_url=ACTOR)
    assert Support.objects.count() == 0
    assert handle_activity({"type": "Delete", "object": reply["id"]}, actor_url=ACTOR)
    assert not Contribution.objects.exists()
    # Deleting it again (or anything that was never a reply) is left to federation.
    assert not handle_activity({"type": "Delete", "object": reply["id"]}, actor_url=ACTOR)


def test_unrelated_activities_are_left_to_federation(make_call):
    """Ensures that notes about other things and ordinary objects are not consumed."""
    other = {"id": ACTOR + "/statuses/1", "type": "Note", "inReplyTo": "http://127.0.0.1:9/x/1",
             "content": "hi"}  # fmt: skip
    assert not handle_activity({"type": "Create", "object": other}, actor_url=ACTOR)
    article = {"id": "http://127.0.0.1:9/ap/objects/1", "type": "Article", "name": "A call"}
    assert not handle_activity({"type": "Create", "object": article}, actor_url=ACTOR)
    assert not handle_activity("not an activity", actor_url=ACTOR)
    assert not Contribution.objects.exists()


def test_reuse_notice_counts_and_withdraws(make_asset, client):
    """Ensures that another node's object derived from ours is recorded (not consumed) and its Delete uncounts it."""
    page = make_asset()
    copy = {"id": "http://127.0.0.1:9/ap/objects/copy-1", "type": "Article", "url": "http://127.0.0.1:9/a/",
            "prov:wasDerivedFrom": f"http://localhost/ap/objects/{page.uuid}"}  # fmt: skip
    assert not handle_activity({"type": "Create", "object": copy}, actor_url="http://127.0.0.1:9/ap/actor",
                               actor_name="City B")  # fmt: skip
    notice = ReuseNotice.objects.get()
    assert notice.page_id == page.pk and notice.actor_name == "City B"
    assert "Reused by 1 administration" in client.get(page.url).content.decode()
    handle_activity({"type": "Delete", "object": copy["id"]}, actor_url="http://127.0.0.1:9/ap/eve")
    assert "Reused by 1 administration" in client.get(page.url).content.decode()
    handle_activity(
        {"type": "Delete", "object": copy["id"]}, actor_url="http://127.0.0.1:9/ap/actor"
    )
    assert "Reused by" not in client.get(page.url).content.decode()
