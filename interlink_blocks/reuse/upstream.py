"""Following the origin after a reuse: updates to review, withdrawals, reuses of ours.

Federation (its ``dispatch/reuse`` handlers) calls ``record_upstream_update`` /
``record_upstream_delete`` when the origin publishes a new version of an object we
reused or withdraws it, ``record_origin_actor_gone`` when the origin's account itself
is deleted, and ``record_reuse_notice`` / ``record_reuse_withdrawn`` when another
administration says it reused one of our pages (or no longer does). Nothing here
overwrites a page: ``review.apply_upstream`` makes a *draft* revision, and only when an
editor asks.
"""

import logging

from django.db.models import Q

from ..fragments import invalidate
from ..metadata import MetadataError, from_activity_object, metadata_identifier
from .local import find_local_page
from .models import Provenance, ProvenanceState, ReuseNotice
from .services import http_url, parse_time

logger = logging.getLogger(__name__)


def provenances_for(origin_id: str, metadata: dict | None = None, *, sender: str | None = None):
    """Local reuses of the origin object ``origin_id`` (its AS id or ``urn:uuid:``).

    ``metadata`` adds its ``dct:identifier``. Anyone can write an identifier, so when the
    news comes from ``sender`` (an account URL), a reuse found by identifier alone counts
    only if ``sender`` is its origin's account; the object id itself is checked by the
    caller (federation's inbox: the object is the sender's).
    """
    keys = {origin_id}
    if metadata is not None:
        try:
            keys.add(f"urn:uuid:{metadata_identifier(metadata)}")
        except MetadataError:
            pass
    by_identifier = Q(origin_identifier__in=keys)
    if sender is not None:
        by_identifier &= Q(origin_actor_url=sender)
    return Provenance.objects.filter(Q(origin_object_id__in=keys) | by_identifier)


def _older(metadata: dict, provenance: Provenance) -> bool:
    """Whether ``metadata`` is an older version than the one last received (or applied):
    a late delivery, which must not undo a newer one."""
    new = parse_time(metadata.get("dct:modified"))
    known = parse_time((provenance.received_snapshot or {}).get("dct:modified"))
    known = known or provenance.origin_updated_at
    if new is None or known is None or (new.tzinfo is None) != (known.tzinfo is None):
        return False
    return new < known


def record_upstream_update(
    origin_id: str, metadata: dict, *, sender: str | None = None
) -> list[Provenance]:
    """Stores the origin's new metadata and marks changed reuses "upstream changed".

    ``metadata`` may be the received ActivityStreams object itself: it is normalised
    with ``from_activity_object`` (a no-op for full metadata). A version equal to the one
    applied is "in sync" — also after a withdrawal: the origin published it again. A
    version older than the last one received changes nothing. ``sender``: see
    ``provenances_for``.
    """
    try:
        metadata = from_activity_object(metadata)
    except (MetadataError, TypeError, AttributeError, RecursionError) as error:
        logger.info("Reuse: update of %s ignored, malformed: %s", origin_id, error)
        return []
    changed = []
    for provenance in provenances_for(origin_id, metadata, sender=sender):
        if _older(metadata, provenance):
            logger.info("Reuse: update of %s older than the one received, ignored", origin_id)
            continue
        provenance.received_snapshot = metadata
        provenance.state = (
            ProvenanceState.IN_SYNC
            if metadata == provenance.applied_snapshot
            else ProvenanceState.UPSTREAM_CHANGED
        )
        provenance.save(update_fields=["received_snapshot", "state", "updated_at"])
        logger.info("Reuse: origin %s is %s for page %s", origin_id, provenance.state,
                    provenance.page_id)  # fmt: skip
        changed.append(provenance)
    return changed


def record_upstream_delete(origin_id: str) -> list[Provenance]:
    """Marks reuses of a deleted origin "origin withdrawn"; the local copies stay."""
    withdrawn = list(provenances_for(origin_id))
    for provenance in withdrawn:
        provenance.state = ProvenanceState.ORIGIN_WITHDRAWN
        provenance.save(update_fields=["state", "updated_at"])
        logger.info("Reuse: origin %s withdrawn for page %s", origin_id, provenance.page_id)
    return withdrawn


def record_origin_actor_gone(actor_url: str) -> list[Provenance]:
    """The origin's account was deleted: every reuse of its objects is "origin withdrawn"."""
    withdrawn = list(
        Provenance.objects.filter(origin_actor_url=actor_url).exclude(origin_actor_url="")
    )
    for provenance in withdrawn:
        provenance.state = ProvenanceState.ORIGIN_WITHDRAWN
        provenance.save(update_fields=["state", "updated_at"])
        logger.info("Reuse: origin account %s gone for page %s", actor_url, provenance.page_id)
    return withdrawn


def record_reuse_notice(
    origin_page, *, actor_url: str, copy_object_id: str, actor_name: str = "", copy_url: str = ""
) -> ReuseNotice:
    """Records that ``actor_url`` reused our ``origin_page`` as ``copy_object_id`` (idempotent).

    ``copy_url`` is kept only if it is an http(s) URL: it becomes a link on public pages.
    """
    notice, _created = ReuseNotice.objects.update_or_create(
        page=origin_page,
        copy_object_id=copy_object_id,
        defaults={
            "actor_url": actor_url,
            "actor_name": actor_name[:200],
            "copy_url": http_url(copy_url)[:500],
            "withdrawn": False,
        },
    )
    return notice


def record_reuse_withdrawn(copy_object_id: str, actor_url: str | None = None) -> int:
    """Their copy was deleted (by ``actor_url``, its owner): it no longer counts as a reuse."""
    notices = ReuseNotice.objects.filter(copy_object_id=copy_object_id)
    if actor_url is not None:
        notices = notices.filter(actor_url=actor_url)
    withdrawn = notices.update(withdrawn=True)
    if withdrawn:
        invalidate()  # an update() sends no signal; pages list their live reuses
    return withdrawn


__all__ = [
    "find_local_page",
    "provenances_for",
    "record_origin_actor_gone",
    "record_reuse_notice",
    "record_reuse_withdrawn",
    "record_upstream_delete",
    "record_upstream_update",
]
