"""People with an account on another server taking part in a call: comments and supports.

The services other apps call for them (federation's ``dispatch/participation`` does, after
it has verified the sender and read the activity); nothing here knows how the request
travelled:

* ``remote_comment(reference, text, author=…, object_id=…)`` — a comment on the call (or
  under the contribution) that ``reference`` names goes to the call's moderation queue,
  attributed to the remote account; raises ``CommentRefused`` when it cannot be taken.
* ``remote_support`` / ``withdraw_remote_support`` — one support per remote account for a
  live, public call.
* ``remote_comment_deleted(object_id, actor_url=…)`` — the author deleted their comment:
  it is withdrawn and removed. Only the author's own deletion counts.

All are idempotent (a repeated call changes nothing). An account is its URL
(``RemoteAuthor.url``); its ``name`` is what pages show.
"""

import logging
import re
from dataclasses import dataclass

from django.db import transaction

from ..models import CallPage
from ..participation.models import Contribution, ContributionKind, Participant
from ..participation.services.contributions import create_contribution
from ..participation.services.engagement import add_support, withdraw_support
from ..participation.services.privacy import erase_contribution
from .local import find_local_page, is_public
from .models import RemoteSupporter

logger = logging.getLogger(__name__)

# A call page's anchor for one of its contributions (``<call URL>#contribution-<pk>``),
# as the page and our ``replies`` collection name it.
_CONTRIBUTION = re.compile(r"contribution-(\d+)")


class CommentRefused(ValueError):
    """The comment cannot be taken (not about a live call of ours, empty, call closed)."""


@dataclass(frozen=True)
class RemoteAuthor:
    url: str
    name: str = ""

    @property
    def shown_name(self) -> str:
        return (self.name or self.url)[:120]


def comment_target(reference: str) -> tuple[CallPage | None, Contribution | None]:
    """The call (and contribution) ``reference`` names.

    A remote comment we took (by its exact id), our call's object id or page URL on one of
    our sites, or a contribution's anchor on our call page. Nothing on another host is ours.
    """
    if not isinstance(reference, str) or not reference:
        return None, None
    parent = Contribution.objects.filter(remote_object_id=reference).select_related("call").first()
    page_ref, _hash, fragment = reference.partition("#")
    page = find_local_page(page_ref)
    call = page if isinstance(page, CallPage) else None
    if parent is None and call is not None and (match := _CONTRIBUTION.fullmatch(fragment)):
        parent = Contribution.objects.filter(call=call, pk=int(match[1])).first()
        if parent is None:
            return None, None
    if parent is not None:
        # Comments are one level deep: an answer to an answer hangs under the top-level one.
        return parent.call, parent.parent or parent
    return call, None


def remote_comment(
    reference: str, text: str, *, author: RemoteAuthor, object_id: str | None = None
) -> Contribution:
    """``text`` (plain text) as a pending comment on what ``reference`` names."""
    call, parent = comment_target(reference)
    if call is None:
        raise CommentRefused("it does not answer one of our calls")
    if not is_public(call):
        raise CommentRefused("the call is not published")
    if not call.accepts_contributions:
        raise CommentRefused("the call does not accept contributions")
    body = (text or "").strip()
    if not body:
        raise CommentRefused("the comment is empty")
    from ..participation import conf

    limit = int(conf.get("PARTICIPATION_MAX_BODY_LENGTH"))
    if len(body) > limit:
        body = body[: limit - 1] + "…"
    contribution = create_contribution(
        call,
        body,
        kind=ContributionKind.COMMENT,
        parent=parent,
        author_name=author.shown_name,
        source="fediverse",
        remote_actor_url=author.url,
        remote_object_id=object_id or None,
    )
    logger.info("Remote: comment %s from %s on call %s", object_id, author.url, call.pk)
    return contribution


def _supporter(author: RemoteAuthor) -> Participant:
    link = (
        RemoteSupporter.objects.select_related("participant").filter(actor_url=author.url).first()
    )
    if link is not None:
        return link.participant
    participant = Participant.objects.create(display_name=author.shown_name)
    RemoteSupporter.objects.create(actor_url=author.url, participant=participant)
    return participant


def _supported_call(reference: str) -> CallPage | None:
    page = find_local_page(reference) if isinstance(reference, str) else None
    return page if isinstance(page, CallPage) else None


@transaction.atomic
def remote_support(reference: str, *, author: RemoteAuthor) -> bool:
    """A support of our live, public call by the remote account.

    False if it is not such a call (a draft, a private page) or the support was counted.
    """
    call = _supported_call(reference)
    if call is None or not is_public(call):
        return False
    return add_support(_supporter(author), call)


def withdraw_remote_support(reference: str, *, actor_url: str) -> bool:
    call = _supported_call(reference)
    link = RemoteSupporter.objects.filter(actor_url=actor_url).first()
    if call is None or link is None:
        return False
    return withdraw_support(link.participant, call)


@transaction.atomic
def remote_comment_deleted(object_id: str, *, actor_url: str) -> bool:
    """The author deleted their comment: withdraw it (other apps hear of it) and remove it."""
    if not object_id:
        return False
    contribution = Contribution.objects.filter(
        remote_object_id=object_id, remote_actor_url=actor_url
    ).first()
    if contribution is None:
        return False
    # Answers of others to it keep their place under a withdrawn placeholder.
    erase_contribution(contribution)
    logger.info("Remote: comment %s deleted by its author %s", object_id, actor_url)
    return True
