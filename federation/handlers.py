"""Inbound activities, handled by a task after the inbox stored them: one function per type.

The inbox view has already verified the signature, the actor/key binding and that embedded
objects live on the actor's host, and refused blocked domains and actors. Handlers return
the message's final state.

Who may send what: replies to our calls, Likes (and their Undo), an author's Delete and
notices that another node reused one of our pages are taken from any verified actor (the
reuse/participation apps consume them first, see ``integrations.handle_activity``); only
the federated catalogue is limited to actors we follow.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import inbound, integrations, publishing
from .actors import ActorError, fetch_remote_actor
from .blocklist import is_blocked
from .models import (
    Follower,
    Following,
    FollowState,
    InboxMessage,
    InboxState,
    LocalActor,
    RemoteActor,
    RemoteObject,
)

logger = logging.getLogger(__name__)

BODIES_AT_ONCE = 25  # messages whose bodies a batch holds in memory at once


def _id_of(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def local_actor_by_id(actor_id: str) -> LocalActor | None:
    for actor in LocalActor.objects.select_related("site"):
        if actor.actor_id == actor_id:
            return actor
    return None


def handle_follow(activity: dict[str, Any], remote: RemoteActor) -> InboxState:
    local = local_actor_by_id(_id_of(activity.get("object")))
    if local is None:
        return InboxState.IGNORED
    follower, created = Follower.objects.get_or_create(
        local_actor=local,
        remote_actor=remote,
        defaults={"follow_activity_id": activity["id"]},
    )
    if not created:
        follower.follow_activity_id = activity["id"]
        follower.save(update_fields=["follow_activity_id"])
    if follower.state == FollowState.ACCEPTED or not local.manually_approves_followers:
        # Re-sent Follows get a fresh Accept: the remote side may have lost the first one.
        publishing.accept_follower(follower)
    return InboxState.PROCESSED


def handle_undo(activity: dict[str, Any], remote: RemoteActor) -> InboxState:
    obj = activity.get("object")
    inner_type = obj.get("type") if isinstance(obj, dict) else None
    follow_id = _id_of(obj)
    followers = Follower.objects.filter(remote_actor=remote)
    if inner_type == "Follow" and isinstance(obj, dict) and obj.get("object"):
        local = local_actor_by_id(_id_of(obj.get("object")))
        deleted, _ = followers.filter(local_actor=local).delete() if local else (0, {})
    else:
        deleted, _ = followers.filter(follow_activity_id=follow_id).delete()
    return InboxState.PROCESSED if deleted else InboxState.IGNORED


def _our_follow(activity: dict[str, Any], remote: RemoteActor) -> Following | None:
    obj = activity.get("object")
    follow_id = _id_of(obj)
    following = Following.objects.filter(remote_actor=remote, follow_activity_id=follow_id).first()
    if following is None and isinstance(obj, dict):
        # Some servers answer with the Follow re-embedded but a different id; match on actors.
        local = local_actor_by_id(_id_of(obj.get("actor")))
        if local is not None and _id_of(obj.get("object")) == remote.uri:
            following = Following.objects.filter(local_actor=local, remote_actor=remote).first()
    return following


def handle_accept(activity: dict[str, Any], remote: RemoteActor) -> InboxState:
    """pending → accepted; an Accept in any other state (a duplicate, or after a Reject)
    changes nothing (``FOLLOW_TRANSITIONS``)."""
    following = _our_follow(activity, remote)
    if following is None or not following.move_to(FollowState.ACCEPTED):
        return InboxState.IGNORED
    return InboxState.PROCESSED


def handle_reject(activity: dict[str, Any], remote: RemoteActor) -> InboxState:
    """pending | accepted → rejected (a Reject after Accept: they removed us)."""
    following = _our_follow(activity, remote)
    if following is None or not following.move_to(FollowState.REJECTED):
        return InboxState.IGNORED
    return InboxState.PROCESSED


def _followed(remote: RemoteActor) -> bool:
    return Following.objects.filter(remote_actor=remote, state=FollowState.ACCEPTED).exists()


def handle_create_or_update(activity: dict[str, Any], remote: RemoteActor) -> InboxState:
    obj = activity.get("object")
    # Most fediverse traffic is posts, not calls or assets: the check that needs no query first.
    if not isinstance(obj, dict) or inbound.kind_of(obj) == "other":
        return InboxState.IGNORED
    if not _followed(remote):
        return InboxState.IGNORED
    uri = _id_of(obj)
    obj = inbound.to_local_vocabulary(obj)  # stored as the reuse workflow reads it
    fields = inbound.object_to_fields(obj)
    existing = RemoteObject.objects.filter(uri=uri).first()
    if existing is not None and existing.actor_id != remote.pk:
        return InboxState.IGNORED
    if existing and existing.updated and fields["updated"] and fields["updated"] < existing.updated:
        return InboxState.IGNORED  # an older version arriving late
    RemoteObject.objects.update_or_create(
        uri=uri, defaults={**fields, "actor": remote, "document": obj, "deleted_at": None}
    )
    return InboxState.PROCESSED


def handle_delete(activity: dict[str, Any], remote: RemoteActor) -> InboxState:
    uri = _id_of(activity.get("object"))
    if uri == remote.uri:
        # The actor itself is gone: forget its follow relations and its catalogue entries.
        Follower.objects.filter(remote_actor=remote).delete()
        RemoteObject.objects.filter(actor=remote).delete()
        return InboxState.PROCESSED
    if not RemoteObject.objects.filter(uri=uri, actor=remote).withdraw():
        return InboxState.IGNORED
    integrations.upstream_deleted(uri)  # reuse marks local copies of it
    return InboxState.PROCESSED


def dispatch(activity: dict[str, Any], remote: RemoteActor) -> InboxState:
    """Reuse and participation see the activity first; then federation's own handling."""
    if integrations.handle_activity(activity, actor_url=remote.uri, actor_name=remote.display_name):
        return InboxState.PROCESSED
    match activity.get("type"):
        case "Follow":
            return handle_follow(activity, remote)
        case "Undo":
            return handle_undo(activity, remote)
        case "Accept":
            return handle_accept(activity, remote)
        case "Reject":
            return handle_reject(activity, remote)
        case "Create" | "Update":
            return handle_create_or_update(activity, remote)
        case "Delete":
            return handle_delete(activity, remote)
        case _:
            return InboxState.IGNORED  # stored, not an error


def _actor_for(
    actor_uri: str, actors: dict[str, RemoteActor | ActorError] | None
) -> RemoteActor | ActorError:
    """The sender (usually from the actor cache), remembered for the rest of a backlog run."""
    if actors is not None and actor_uri in actors:
        return actors[actor_uri]
    try:
        found: RemoteActor | ActorError = fetch_remote_actor(actor_uri)
    except ActorError as error:
        found = error
    if actors is not None:
        actors[actor_uri] = found
    return found


def _finish(message: InboxMessage, state: InboxState, error: str = "") -> str:
    message.state, message.error, message.processed_at = state, error, timezone.now()
    message.save(update_fields=["state", "error", "processed_at"])
    return str(state)


def _locked_received(message_pk: int) -> InboxMessage | None:
    return (
        InboxMessage.objects.select_for_update()
        .filter(pk=message_pk, state=InboxState.RECEIVED)
        .first()
    )


def _sender(
    actor_uri: str, actors: dict[str, RemoteActor | ActorError] | None
) -> RemoteActor | ActorError | None:
    """The sender, looked up before any transaction opens (a lookup may fetch over the
    network); ``None`` for a sender blocked since its message was stored (no fetch)."""
    return None if is_blocked(actor_uri) else _actor_for(actor_uri, actors)


def _outcome(
    message: InboxMessage, sender: RemoteActor | ActorError | None
) -> tuple[InboxState, str]:
    """The message's new state and error: a blocked sender's message is handled as nothing
    (no catalogue row), an unreachable sender's fails with the reason."""
    if sender is None:
        return InboxState.IGNORED, "blocked"
    if isinstance(sender, ActorError):
        return InboxState.FAILED, str(sender)
    return dispatch(message.body, sender), ""


def process(
    message_pk: int,
    actor_uri: str | None = None,
    actors: dict[str, RemoteActor | ActorError] | None = None,
) -> str:
    """Handles one stored message once: the state moves out of ``received`` atomically.

    The actor is fetched (usually from cache) before the transaction, so no database lock
    is held across network I/O. The backlog passes the message's ``actor_uri`` (read with
    its id) and a dict that remembers actors for the rest of its run.

    The handler's writes and the new state commit together. A handler that raises rolls all
    of it back; the failure is then recorded in a transaction of its own. (One transaction
    in the common case, instead of a savepoint around every handler.)
    """
    if actor_uri is None:
        pending = InboxMessage.objects.filter(pk=message_pk, state=InboxState.RECEIVED).first()
        if pending is None:
            return "skipped"
        actor_uri = pending.actor_uri
    sender = _sender(actor_uri, actors)
    try:
        with transaction.atomic():
            message = _locked_received(message_pk)
            if message is None:
                return "skipped"
            return _finish(message, *_outcome(message, sender))
    except Exception as handler_error:
        logger.exception("Inbox: handling message %s failed", message_pk)
        with transaction.atomic():
            message = _locked_received(message_pk)
            if message is None:
                return "skipped"
            return _finish(message, InboxState.FAILED, repr(handler_error))


def process_batch(rows: list[tuple[int, str]], actors: dict[str, RemoteActor | ActorError]) -> int:
    """Handles a run of stored messages (``(pk, actor_uri)``, oldest first) in one
    transaction: one claiming read, the handlers, one state update per outcome.

    The common case (a burst of activities from a few senders) then costs one round trip
    per message for its handler instead of five (begin, lock, handle, mark, commit). If any
    handler raises, the whole run rolls back and each of its messages is handled on its own
    by ``process``, which records the failure against that message only. Rows another
    worker holds are skipped (``SKIP LOCKED``) and left to it. Returns how many messages
    this run handled.
    """
    senders = {uri: _sender(uri, actors) for uri in dict.fromkeys(uri for _pk, uri in rows)}
    try:
        with transaction.atomic():
            claimed = (
                InboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk__in=[pk for pk, _uri in rows], state=InboxState.RECEIVED)
                .order_by("pk")
            )
            outcomes: dict[tuple[InboxState, str], list[int]] = {}
            # Bodies may be up to FEDERATION_INBOX_MAX_BYTES each: read them a few at a time.
            for message in claimed.iterator(chunk_size=BODIES_AT_ONCE):
                outcome = _outcome(message, senders[message.actor_uri])
                outcomes.setdefault(outcome, []).append(message.pk)
            now = timezone.now()
            for (state, error), pks in outcomes.items():
                InboxMessage.objects.filter(pk__in=pks).update(
                    state=state, error=error, processed_at=now
                )
    except Exception:  # which message failed is found and recorded one by one below
        logger.warning(
            "Inbox: a run of %s messages failed; handling them one by one", len(rows), exc_info=True
        )
        return sum(process(pk, uri, actors) != "skipped" for pk, uri in rows)
    return sum(len(pks) for pks in outcomes.values())
