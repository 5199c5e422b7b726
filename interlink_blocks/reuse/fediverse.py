"""Fediverse citizens taking part in a call: replies, Likes and Deletes from remote accounts.

Federation calls these after it has verified the signature and checked its blocklists:

* ``receive_reply(note, actor_url=…, actor_name=…)`` — a ``Create(Note)`` whose
  ``inReplyTo`` is one of our calls (or a contribution to one) becomes a *comment* in the
  call's moderation queue, attributed to the remote account, as plain text.
* ``receive_like`` / ``receive_undo_like`` — a Like of a call counts as one support per
  remote account.
* ``receive_delete(object_id, actor_url=…)`` — the author deleted their reply: the
  contribution is withdrawn and removed. Only the author's own Delete counts.

All are idempotent (a redelivered activity changes nothing).
"""

import html
import logging
import re

import nh3
from django.db import transaction

from ..models import CallPage
from ..participation.models import Contribution, ContributionKind, ContributionState, Participant
from ..participation.services.contributions import after_state_change, create_contribution
from ..participation.services.engagement import add_support, withdraw_support
from .models import RemoteSupporter
from .upstream import find_local_page

logger = logging.getLogger(__name__)

_BLOCK_END = re.compile(r"</p\s*>|<br\s*/?>", re.IGNORECASE)
_LEADING_MENTIONS = re.compile(r"^(\s*@[\w.-]+(@[\w.-]+(:\d+)?)?\s*)+")


class ReplyRefused(ValueError):
    """The reply cannot become a contribution (not about a call, empty, call closed)."""


def plain_text(content: str) -> str:
    """Remote HTML as plain text: paragraphs kept as line breaks, every tag dropped.

    Leading @-mentions (Mastodon prefixes a reply with the account it answers) go too.
    """
    text = _BLOCK_END.sub("\n", content or "")
    text = html.unescape(nh3.clean(text, tags=set()))
    text = "\n".join(line.strip() for line in text.splitlines())
    return _LEADING_MENTIONS.sub("", re.sub(r"\n{3,}", "\n\n", text)).strip()


def _target(in_reply_to) -> tuple[CallPage | None, Contribution | None]:
    """The call (and contribution) a reply answers: our object id / page URL, or a known reply."""
    target = in_reply_to.get("id") if isinstance(in_reply_to, dict) else in_reply_to
    if not isinstance(target, str) or not target:
        return None, None
    parent = Contribution.objects.filter(remote_object_id=target).select_related("call").first()
    if parent is None:
        text = target.rstrip("/")
        parent = Contribution.objects.filter(uuid__in=_uuid_candidates(text)).first()
    if parent is not None:
        # Replies are one level deep: an answer to a reply hangs under its top-level contribution.
        return parent.call, parent.parent or parent
    page = find_local_page(target)
    if isinstance(page, CallPage):
        return page, None
    for call in CallPage.objects.live():
        if call.full_url and call.full_url.rstrip("/") == target.rstrip("/"):
            return call, None
    return None, None


def _uuid_candidates(text: str) -> list[str]:
    import uuid

    try:
        return [str(uuid.UUID(text.rsplit("/", 1)[-1]))]
    except ValueError:
        return []


def receive_reply(note: dict, *, actor_url: str, actor_name: str = "") -> Contribution:
    """A remote reply as a pending comment on the call it answers; raises ``ReplyRefused``."""
    call, parent = _target(note.get("inReplyTo"))
    if call is None:
        raise ReplyRefused("the reply does not answer one of our calls")
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
    contribution = create_contribution(
        call,
        body,
        kind=ContributionKind.COMMENT,
        parent=parent,
        author_name=(actor_name or actor_url)[:120],
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
    """A Like of our call as a support by the remote account; False if not a call or already counted."""
    call = _liked_call(object_id)
    if call is None:
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
    was_visible = contribution.is_visible
    contribution.state = ContributionState.WITHDRAWN
    after_state_change(contribution, was_visible)
    contribution.delete()
    logger.info("Fediverse: reply %s deleted by its author %s", object_id, actor_url)
    return True
