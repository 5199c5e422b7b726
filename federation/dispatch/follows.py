"""Who follows whom: Follow, Undo(Follow), Accept and Reject.

Both directions are explicit state graphs (``FOLLOW_TRANSITIONS``): an Accept or Reject
that the graph does not allow (a duplicate, an Accept after a Reject) changes nothing.
"""

from __future__ import annotations

from .. import publishing
from ..models import Follower, Following, FollowState, LocalActor, RemoteActor
from .table import ANY, ID_ONLY, Incoming, handles, id_of


def local_actor_by_id(actor_id: str) -> LocalActor | None:
    for actor in LocalActor.objects.select_related("site"):
        if actor.actor_id == actor_id:
            return actor
    return None


@handles("Follow", ANY)
def follow(incoming: Incoming) -> bool:
    """A follow request of one of our actors: accepted at once unless the actor approves
    followers by hand (then it waits in the admin)."""
    local = local_actor_by_id(incoming.object_id)
    if local is None:
        return False
    activity_id = incoming.activity["id"]
    follower, created = Follower.objects.get_or_create(
        local_actor=local,
        remote_actor=incoming.sender,
        defaults={"follow_activity_id": activity_id},
    )
    if not created:
        follower.follow_activity_id = activity_id
        follower.save(update_fields=["follow_activity_id"])
    if follower.state == FollowState.ACCEPTED or not local.manually_approves_followers:
        # Re-sent Follows get a fresh Accept: the remote side may have lost the first one.
        publishing.accept_follower(follower)
    return True


@handles("Undo", "Follow", ID_ONLY)
def unfollow(incoming: Incoming) -> bool:
    """They stop following us: by the embedded Follow's object, or by the Follow's id."""
    followers = Follower.objects.filter(remote_actor=incoming.sender)
    obj = incoming.object
    if obj is not None and "Follow" in incoming.object_types and obj.get("object"):
        local = local_actor_by_id(id_of(obj.get("object")))
        deleted, _ = followers.filter(local_actor=local).delete() if local else (0, {})
    else:
        deleted, _ = followers.filter(follow_activity_id=incoming.object_id).delete()
    return bool(deleted)


def _our_follow(incoming: Incoming) -> Following | None:
    remote: RemoteActor = incoming.sender
    following = Following.objects.filter(
        remote_actor=remote, follow_activity_id=incoming.object_id
    ).first()
    obj = incoming.object
    if following is None and obj is not None:
        # Some servers answer with the Follow re-embedded but a different id; match on actors.
        local = local_actor_by_id(id_of(obj.get("actor")))
        if local is not None and id_of(obj.get("object")) == remote.uri:
            following = Following.objects.filter(local_actor=local, remote_actor=remote).first()
    return following


@handles("Accept", ANY)
def accepted(incoming: Incoming) -> bool:
    """pending → accepted; an Accept in any other state changes nothing."""
    following = _our_follow(incoming)
    return following is not None and bool(following.move_to(FollowState.ACCEPTED))


@handles("Reject", ANY)
def rejected(incoming: Incoming) -> bool:
    """pending | accepted → rejected (a Reject after Accept: they removed us)."""
    following = _our_follow(incoming)
    return following is not None and bool(following.move_to(FollowState.REJECTED))
