"""Success stories federate as calls and assets do: Create, Update, and Delete with a
Tombstone that names its former type; the object names its call and produced assets."""

from __future__ import annotations

import pytest

from interlink_blocks.models import StoryPage
from interlink_federation.models import OutboxActivity, RemoteActor
from interlink_federation.serialisers import federates


@pytest.fixture
def follower(local_actor):
    from interlink_federation.models import Follower, FollowState

    remote = RemoteActor.objects.create(
        uri="https://one.example/users/1",
        domain="one.example",
        inbox="https://one.example/users/1/inbox",
    )
    return Follower.objects.create(
        local_actor=local_actor,
        remote_actor=remote,
        state=FollowState.ACCEPTED,
        follow_activity_id="https://one.example/follows/1",
    )


@pytest.fixture
def make_story(story_index, make_call, make_asset):
    def make():
        call = make_call(title="Quiet rooms in libraries", status="completed")
        asset = make_asset(title="Quiet-room floor plan")
        story = story_index.add_child(
            instance=StoryPage(title="Quiet rooms opened", summary="It worked.", call=call)
        )
        story.produced_assets.set([asset])
        story.save_revision().publish()
        story.refresh_from_db()
        return story, call, asset

    return make


def story_activities(local_actor, story) -> list[OutboxActivity]:
    uri = local_actor.object_url(story.uuid)
    return list(OutboxActivity.objects.filter(object_uri=uri).order_by("pk"))


def test_story_is_created_then_updated(local_actor, follower, make_story):
    """Ensures that publishing a story sends Create of an Article with its kind, call and
    produced assets, and publishing it again sends Update, each to the followers."""
    story, call, asset = make_story()
    assert federates(story)
    [create] = story_activities(local_actor, story)
    obj = create.document["object"]
    assert create.activity_type == "Create" and obj["type"] == "Article"
    assert obj["name"] == "Quiet rooms opened" and obj["interlink:kind"] == "story"
    assert obj["interlink:call"] == local_actor.object_url(call.uuid)
    assert obj["interlink:producedAssets"] == [local_actor.object_url(asset.uuid)]
    assert obj["published"].endswith("Z")
    assert list(create.deliveries.values_list("inbox", flat=True)) == [follower.remote_actor.inbox]

    story.title = "Quiet rooms opened in three libraries"
    story.save_revision().publish()
    update = story_activities(local_actor, story)[-1]
    assert update.activity_type == "Update"
    assert update.document["object"]["name"] == "Quiet rooms opened in three libraries"


def test_story_removed_is_deleted_with_a_tombstone(local_actor, follower, make_story, client):
    """Ensures that unpublishing a story sends Delete of a Tombstone with formerType, and the
    object's URL then answers 410 with that Tombstone."""
    story, _call, _asset = make_story()
    story.unpublish()
    delete = story_activities(local_actor, story)[-1]
    assert delete.activity_type == "Delete"
    assert delete.document["object"]["type"] == "Tombstone"
    assert (
        delete.document["object"]["formerType"] == "https://www.w3.org/ns/activitystreams#Article"
    )
    response = client.get(f"/ap/objects/{story.uuid}", HTTP_ACCEPT="application/activity+json")
    assert response.status_code == 410


def test_story_object_is_served(local_actor, make_story, client):
    """Ensures that a public story answers at its object URL with its AS object."""
    story, _call, _asset = make_story()
    response = client.get(f"/ap/objects/{story.uuid}", HTTP_ACCEPT="application/activity+json")
    assert response.status_code == 200
    assert response.json()["interlink:kind"] == "story"
