"""Fediverse people taking part in our calls: replies, Likes and the author's Delete.

Taken from any verified, non-blocked actor, followed or not:

* a public or unlisted ``Create`` of a ``Note`` (``Article``, ``Page``, ``Question``)
  whose ``inReplyTo`` names one of our calls or a contribution to one becomes a pending
  comment, as plain text. Followers-only and direct replies are refused: they would
  become public.
* ``Like`` of a live, public call is a support; ``Undo(Like)`` withdraws it.
* the author's ``Delete`` of a reply removes the comment.

The mapping ActivityStreams → plain arguments is here; what a comment or support is, and
who may make one, is ``interlink_blocks.reuse.remote_accounts``'s.
"""

from __future__ import annotations

import logging
import re

from interlink_blocks.reuse.remote_accounts import (
    CommentRefused,
    RemoteAuthor,
    remote_comment,
    remote_comment_deleted,
    remote_support,
    withdraw_remote_support,
)
from interlink_blocks.sanitise import plain_text

from .table import ANY, Incoming, handles, id_of

logger = logging.getLogger(__name__)

REPLY_TYPES = ("Note", "Article", "Page", "Question")
PUBLIC = frozenset({"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"})
# Mastodon starts a reply with the accounts it answers ("@city@example.org …").
_LEADING_MENTIONS = re.compile(r"^(\s*@[\w.-]+(@[\w.-]+(:\d+)?)?\s*)+")


def _author(incoming: Incoming) -> RemoteAuthor:
    return RemoteAuthor(url=incoming.sender.uri, name=incoming.sender.display_name or "")


def is_public(addressed: dict) -> bool:
    """Addressed to ``as:Public`` in ``to`` (public) or ``cc`` (unlisted); followers-only
    and direct messages are private."""
    for key in ("to", "cc"):
        value = addressed.get(key)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(item, str) and item in PUBLIC for item in values):
            return True
    return False


def reply_text(note: dict) -> str:
    """The reply as plain text: ``content`` (or the first ``contentMap`` entry), without
    the leading mentions."""
    raw = note.get("content")
    if not isinstance(raw, str) and isinstance(note.get("contentMap"), dict):
        raw = next((v for v in note["contentMap"].values() if isinstance(v, str)), "")
    return _LEADING_MENTIONS.sub("", plain_text(raw)).strip()


@handles("Create", *REPLY_TYPES)
def reply(incoming: Incoming) -> bool:
    note = incoming.object
    if note is None or not note.get("inReplyTo"):
        return False
    # Some servers address the Create only, not the object it carries.
    addressed = note if "to" in note or "cc" in note else incoming.activity
    if not is_public(addressed):
        logger.info("Participation: reply %s not taken: not public", incoming.object_id)
        return False
    try:
        remote_comment(
            id_of(note.get("inReplyTo")),
            reply_text(note),
            author=_author(incoming),
            object_id=incoming.object_id,
        )
    except CommentRefused as error:
        logger.info("Participation: reply %s not taken: %s", incoming.object_id, error)
        return False
    return True


@handles("Like", ANY)
def like(incoming: Incoming) -> bool:
    return remote_support(incoming.object_id, author=_author(incoming))


@handles("Undo", "Like")
def undo_like(incoming: Incoming) -> bool:
    liked = id_of(incoming.object.get("object")) if incoming.object else ""
    return withdraw_remote_support(liked, actor_url=incoming.sender.uri)


@handles("Delete", ANY)
def reply_deleted(incoming: Incoming) -> bool:
    if incoming.object_id == incoming.sender.uri:
        return False  # the account itself is gone, not one of its replies
    return remote_comment_deleted(incoming.object_id, actor_url=incoming.sender.uri)
