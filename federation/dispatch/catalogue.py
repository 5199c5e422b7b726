"""The federated catalogue: calls and assets of the actors we follow, and their withdrawal.

Only actors we follow (accepted) fill the catalogue; anyone may delete what is theirs.
What reuse does with an update or a withdrawal of something we reused is the ``reuse``
module's business, not this one's.
"""

from __future__ import annotations

from .. import inbound
from ..models import Follower, Following, FollowState, RemoteActor, RemoteObject
from .table import ANY, Incoming, handles


def _followed(remote: RemoteActor) -> bool:
    return Following.objects.filter(remote_actor=remote, state=FollowState.ACCEPTED).exists()


@handles("Create", ANY)
@handles("Update", ANY)
def stored(incoming: Incoming) -> bool:
    """A new version of a call or asset: stored (sanitised) unless an older one arrives late."""
    obj = incoming.object
    # Most fediverse traffic is posts, not calls or assets: the check that needs no query first.
    if obj is None or inbound.kind_of(obj) == "other":
        return False
    if not _followed(incoming.sender):
        return False
    uri = incoming.object_id
    obj = inbound.to_local_vocabulary(obj)  # stored as the reuse workflow reads it
    fields = inbound.object_to_fields(obj)
    existing = RemoteObject.objects.filter(uri=uri).first()
    if existing is not None and existing.actor_id != incoming.sender.pk:
        return False
    if existing and existing.updated and fields["updated"] and fields["updated"] < existing.updated:
        return False  # an older version arriving late
    RemoteObject.objects.update_or_create(
        uri=uri, defaults={**fields, "actor": incoming.sender, "document": obj, "deleted_at": None}
    )
    return True


@handles("Delete", ANY)
def withdrawn(incoming: Incoming) -> bool:
    """The item is gone at its origin: withdrawn here (``RemoteObjectQuerySet.withdraw``).
    The actor itself is gone: its follow relations and catalogue entries are forgotten."""
    remote = incoming.sender
    if incoming.object_id == remote.uri:
        Follower.objects.filter(remote_actor=remote).delete()
        RemoteObject.objects.filter(actor=remote).delete()
        return True
    return bool(RemoteObject.objects.filter(uri=incoming.object_id, actor=remote).withdraw())
