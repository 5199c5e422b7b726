"""Fediverse citizens taking part in a call: replies, Likes and Deletes from remote accounts.

Federation calls these after it has verified the signature and checked its blocklists:

* ``receive_reply(note, actor_url=…, actor_name=…)`` — a public (or unlisted)
  ``Create(Note)`` whose ``inReplyTo`` is one of our live calls (or a contribution to one)
  becomes a *comment* in the call's moderation queue, attributed to the remote account, as
  plain text. Followers-only and direct replies are refused: they would become public.
* ``receive_like`` / ``receive_undo_like`` — a Like of a live, public call counts as one
  support per remote account.
* ``receive_delete(object_id, actor_url=…)`` — the author deleted their reply: the
  contribution is withdrawn and removed. Only the author's own Delete counts.

All are idempotent (a redelivered activity changes nothing).
"""

import logging
import re

from django.db import transaction

from ..models import CallPage
from ..participation.models import Contribution, ContributionKind, Participant
from ..participation.services.contributions import create_contribution
from ..participation.services.engagement import add_support, withdraw_support
from ..participation.services.privacy import erase_contribution
from ..sanitise import plain_text as text_of
from .local import find_local_page, is_public
from .models import RemoteSupporter

logger = logging.getLogger(__name__)

_LEADING_MENTIONS = re.compile(r"^(\s*@[\w.-]+(@[\w.-]+(:\d+)?)?\s*)+")
_CONTRIBUTION = re.compile(r"contribution-(\d+)")
PUBLIC = {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}


class ReplyRefused(ValueError):
    """The reply cannot become a contribution (not about a call, empty, call closed)."""


def plain_text(content: str) -> str:
    """Remote HTML as plain text: paragraphs kept as line breaks, every tag dropped.

    Leading @-mentions (Mastodon prefixes a reply with the account it answers) go too.
    """
    return _LEADING_MENTIONS.sub("", text_of(content)).strip()


def is_public_post(note: dict) -> bool:
    """Addressed to ``as:Public`` in ``to`` (public) or ``cc`` (unlisted).

    Followers-only and direct messages are private: they never become public comments.
    """
    for key in ("to", "cc"):
        value = note.get(key)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(item, str) and item in PUBLIC for item in values):
            return True
    return False


def _target(in_reply_to) -> tuple[CallPage | None, Contribution | None]:
    """The call (and contribution) a reply answers.

    A reply answers a fediverse reply we know (by its exact id), our call's object id or
    page URL on one of our sites, or a local contribution as our ``replies`` collection
    names it (``<call page URL>#contribution-<pk>``). Nothing on another host is ours.
    """
    target = in_reply_to.get("id") if isinstance(in_reply_to, dict) else in_reply_to
    if not isinstance(target, str) or not target:
        return None, None
    parent = Contribution.objects.filter(remote_object_id=target).select_related("call").first()
    page_ref, _hash, fragment = target.partition("#")
    page = find_local_page(page_ref)
    call = page if isinstance(page, CallPage) else None
    if parent is None and call is not None and (match := _CONTRIBUTION.fullmatch(fragment)):
        parent = Contribution.objects.filter(call=call, pk=int(match[1])).first()
        if parent is None:
            return None, None
    if parent is not None:
        # Replies are one level deep: an answer to a reply hangs under its top-level contribution.
        return parent.call, parent.parent or parent
    return call, None


def receive_reply(note: dict, *, actor_url: str, actor_name: str = "") -> Contribution:
    """A remote reply as a pending comment on the call it answers; raises ``ReplyRefused``."""
    if not is_public_post(note):
        raise ReplyRefused("the reply is not public (followers-only or direct)")
    call, parent = _target(note.get("inReplyTo"))
    if call is None:
        raise ReplyRefused("the reply does not answer one of our calls")
    if not is_public(call):
        raise ReplyRefused("the call is not published")
    if not call.accepts_contributions:
        raise ReplyRefused("the call does not accept contributions")
    raw = note.get("content")
    if not isinstance(raw, str) and isinstance(note.get("contentMap"), dict):
        raw = next((v for v in note["contentMap"].values() if isinstance(v, str)), "")
    body = plain_text(raw if isinstance(raw, str) else "")
    if not body:
        raise ReplyRefused("the reply is empty")
    from ..participation import conf

    limit = int(conf.get("PARTICIPATION_MAX_BODY_LENGTH"))
    if len(body) > limit:
        body = body[: limit - 1] + "…"
    object_id = note.get("id") if isinstance(note.get("id"), str) else None
    name = actor_name if isinstance(actor_name, str) and actor_name else actor_url
    contribution = create_contribution(
        call,
        body,
        kind=ContributionKind.COMMENT,
        parent=parent,
        author_name=name[:120],
        source="fediverse",
        remote_actor_url=actor_url,
        remote_object_id=object_id,
    )
    logger.info("Fediverse: reply %s from %s on call %s", object_id, actor_url, call.pk)
    return contribution


def _supporter(actor_url: str, actor_name: str) -> Participant:
    link = RemoteSupporter.objects.select_related("participant").filter(actor_url=actor_url).first()
    if link is not None:
        return link.participant
    participant = Participant.objects.create(display_name=(actor_name or actor_url)[:120])
    RemoteSupporter.objects.create(actor_url=actor_url, participant=participant)
    return participant


def _liked_call(object_id) -> CallPage | None:
    page = find_local_page(object_id) if isinstance(object_id, str) else None
    return page if isinstance(page, CallPage) else None


@transaction.atomic
def receive_like(object_id: str, *, actor_url: str, actor_name: str = "") -> bool:
    """A Like of our live, public call as a support by the remote account.

    False if it is not such a call (a draft, a private page) or the support was counted.
    """
    call = _liked_call(object_id)
    if call is None or not is_public(call):
        return False
    return add_support(_supporter(actor_url, actor_name), call)


def receive_undo_like(object_id: str, *, actor_url: str) -> bool:
    call = _liked_call(object_id)
    link = RemoteSupporter.objects.filter(actor_url=actor_url).first()
    if call is None or link is None:
        return False
    return withdraw_support(link.participant, call)


@transaction.atomic
def receive_delete(object_id: str, *, actor_url: str) -> bool:
    """The author deleted their reply: withdraw it (other apps hear of it) and remove it."""
    contribution = Contribution.objects.filter(
        remote_object_id=object_id, remote_actor_url=actor_url
    ).first()
    if contribution is None:
        return False
    # Replies of others to it keep their place under a withdrawn placeholder.
    erase_contribution(contribution)
    logger.info("Fediverse: reply %s deleted by its author %s", object_id, actor_url)
    return True
