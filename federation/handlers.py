"""Inbound activities, handled by a task after the inbox stored them.

The inbox view has already verified the signature, the actor/key binding and that embedded
objects live on the actor's host, and refused blocked domains and actors. Here the worker
claims stored messages, looks their senders up and hands each activity to the dispatch
table (``dispatch``: one handler module per feature, keyed by activity and object type),
then records the message's final state.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from .actors import ActorError, fetch_remote_actor
from .blocklist import is_blocked
from .dispatch import dispatch
from .models import InboxMessage, InboxState, RemoteActor

logger = logging.getLogger(__name__)

BODIES_AT_ONCE = 25  # messages whose bodies a batch holds in memory at once


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
