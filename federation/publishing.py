"""Outbound activities: publishing pages (Create/Update/Delete) and follow bookkeeping.

Each function writes the activity and its deliveries in one transaction; the network is
touched only by the worker afterwards.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db import transaction
from wagtail.models import Page

from . import integrations, serialisers
from .actors import ActorError, fetch_remote_actor, get_local_actor
from .delivery import create_deliveries
from .models import (
    Follower,
    Following,
    FollowState,
    LocalActor,
    OutboxActivity,
    RemoteActor,
)

logger = logging.getLogger(__name__)

OBJECT_ACTIVITY_TYPES = ("Create", "Update", "Delete")


def is_public(page: Page) -> bool:
    """Live and without view restrictions on it or any ancestor: drafts and private pages never leave."""
    return bool(page.live) and not page.get_view_restrictions().exists()


def follower_inboxes(actor: LocalActor) -> list[str]:
    """Accepted followers' inboxes, shared inboxes deduplicated."""
    followers = RemoteActor.objects.filter(
        following_us__local_actor=actor, following_us__state=FollowState.ACCEPTED
    )
    return sorted({follower.delivery_inbox for follower in followers})


def _new_activity(
    actor: LocalActor,
    activity_type: str,
    obj: Any,
    object_uri: str = "",
    public: bool = True,
    to: list[str] | None = None,
    cc: list[str] | None = None,
) -> OutboxActivity:
    activity_uuid = uuid.uuid4()
    activity_id = actor.activity_url(activity_uuid)
    document = serialisers.activity(
        actor, activity_type, activity_id, obj, public=public, to=to, cc=cc
    )
    return OutboxActivity.objects.create(
        uuid=activity_uuid,
        local_actor=actor,
        activity_id=activity_id,
        activity_type=activity_type,
        object_uri=object_uri,
        document=document,
        public=public,
    )


def last_object_activity(object_uri: str) -> OutboxActivity | None:
    return (
        OutboxActivity.objects.filter(
            object_uri=object_uri, activity_type__in=OBJECT_ACTIVITY_TYPES
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def is_federated(object_uri: str) -> bool:
    """Whether followers currently hold this object (sent and not deleted since)."""
    last = last_object_activity(object_uri)
    return last is not None and last.activity_type != "Delete"


def sync_visibility(page: Page) -> OutboxActivity | None:
    """Brings followers in line with whether ``page`` is public *now*.

    For changes that are not a publish: a view restriction added to or removed from the
    page or an ancestor, or a move into or out of a private section. A page that stopped
    being public while followers hold it is deleted remotely; a live page that became
    public again (and is not federated) is created anew. Anything else sends nothing.
    """
    actor = _actor_for_page(page)
    if actor is None or not hasattr(page, "uuid"):
        return None
    federated = is_federated(actor.object_url(page.uuid))
    if is_public(page):
        return None if federated else page_published(page)
    return page_removed(page, actor) if federated else None


def moved_out_of_site(pages: list[Page], parent_before: Page) -> None:
    """``pages``, a moved subtree, left the site of ``parent_before`` for another site's tree
    (or for none): the actor of the site they left deletes what its followers hold, and
    ``sync_visibility`` then has the new site's actor create them for its own followers."""
    if not pages:
        return
    site_before = parent_before.get_site()
    if site_before is None or site_before == pages[0].get_site():
        return  # a move within one site keeps its actor
    actor_before = get_local_actor(site_before)
    for page in pages:
        page_removed(page, actor_before)


def origin_addressee(page: Page, actor: LocalActor) -> tuple[list[str], list[str]]:
    """For a page reused from another node: the origin actor (for ``cc``) and its inbox.

    The origin counts "reused by" from what it receives, so it is addressed even when it
    does not follow us. Its actor comes from the cache (we followed it to see the item),
    fetched with a signed GET otherwise; when it cannot be reached, followers still get
    the activity and the failure is logged.
    """
    origin = integrations.origin_actor_url(page)
    if not origin or origin == actor.actor_id:
        return [], []
    try:
        remote = fetch_remote_actor(origin, via=actor)
    except ActorError as error:
        logger.warning("Publish: origin actor %s unreachable (%s)", origin, error)
        return [origin], []
    return [origin], [remote.delivery_inbox]


def _actor_for_page(page: Page) -> LocalActor | None:
    site = page.get_site()
    return get_local_actor(site) if site else None


@transaction.atomic
def page_published(page: Page) -> OutboxActivity | None:
    """Create the first time, Update afterwards; a page that became private is deleted remotely."""
    actor = _actor_for_page(page)
    if actor is None:
        return None
    obj = serialisers.page_to_ap(page, actor)
    if obj is None:
        return None
    object_uri = obj["id"]
    if not is_public(page):
        return page_removed(page) if is_federated(object_uri) else None
    activity_type = "Update" if is_federated(object_uri) else "Create"
    origin_cc, origin_inboxes = origin_addressee(page, actor)
    obj["cc"] = [*obj.get("cc", []), *origin_cc]
    activity = _new_activity(actor, activity_type, obj, object_uri, cc=origin_cc)
    create_deliveries(activity, sorted({*follower_inboxes(actor), *origin_inboxes}))
    logger.info("Publish: %s %s", activity_type, object_uri)
    return activity


@transaction.atomic
def page_removed(page: Page, actor: LocalActor | None = None) -> OutboxActivity | None:
    """Delete with a Tombstone, once, for pages followers hold (unpublished, private, deleted)."""
    actor = actor or _actor_for_page(page)
    if actor is None or not hasattr(page, "uuid"):
        return None
    object_uri = actor.object_url(page.uuid)
    if not is_federated(object_uri):
        return None
    # The origin of a reused page hears of its removal too, so it stops counting the reuse.
    origin_cc, origin_inboxes = origin_addressee(page, actor)
    activity = _new_activity(
        actor, "Delete", serialisers.tombstone(object_uri), object_uri, cc=origin_cc
    )
    create_deliveries(activity, sorted({*follower_inboxes(actor), *origin_inboxes}))
    logger.info("Publish: Delete %s", object_uri)
    return activity


@transaction.atomic
def follow(actor: LocalActor, remote: RemoteActor) -> Following:
    """Sends Follow (again, if an earlier one was rejected); the row stays pending until Accept."""
    existing = Following.objects.filter(local_actor=actor, remote_actor=remote).first()
    if existing and existing.state != FollowState.REJECTED:
        return existing
    activity = _new_activity(actor, "Follow", remote.uri, public=False, to=[remote.uri])
    following, _created = Following.objects.update_or_create(
        local_actor=actor,
        remote_actor=remote,
        defaults={"state": FollowState.PENDING, "follow_activity_id": activity.activity_id},
    )
    create_deliveries(activity, [remote.inbox])
    return following


@transaction.atomic
def unfollow(following: Following) -> None:
    actor, remote = following.local_actor, following.remote_actor
    undo = {
        "id": following.follow_activity_id,
        "type": "Follow",
        "actor": actor.actor_id,
        "object": remote.uri,
    }
    activity = _new_activity(actor, "Undo", undo, public=False, to=[remote.uri])
    following.delete()
    create_deliveries(activity, [remote.inbox])


def _follow_object(follower: Follower) -> dict[str, str]:
    return {
        "id": follower.follow_activity_id,
        "type": "Follow",
        "actor": follower.remote_actor.uri,
        "object": follower.local_actor.actor_id,
    }


@transaction.atomic
def accept_follower(follower: Follower) -> None:
    """pending → accepted, with an Accept; an accepted follower whose Follow came again gets
    a fresh Accept (their side may have lost the first)."""
    if follower.state != FollowState.ACCEPTED and not follower.move_to(FollowState.ACCEPTED):
        return
    remote = follower.remote_actor
    activity = _new_activity(
        follower.local_actor, "Accept", _follow_object(follower), public=False, to=[remote.uri]
    )
    create_deliveries(activity, [remote.inbox])


@transaction.atomic
def reject_follower(follower: Follower) -> None:
    """Removing (or refusing) a follower tells them with Reject, as Mastodon does."""
    remote = follower.remote_actor
    activity = _new_activity(
        follower.local_actor, "Reject", _follow_object(follower), public=False, to=[remote.uri]
    )
    follower.delete()
    create_deliveries(activity, [remote.inbox])
