"""Reuse across nodes: "reused by" notices for our pages, and news of what we reused.

* Another node's ``Create``/``Update`` of an Interlink call or asset derived from one of
  ours (``prov:wasDerivedFrom`` / ``dct:isVersionOf``) counts as a reuse of it; the
  ``Delete`` of that copy uncounts it. Anyone may say so, so the copy must live on the
  sender's host, and its ``url`` becomes a link only if it is http(s) on that host too.
* The origin's ``Create``/``Update`` of a call or asset we reused stores its new version
  for review ("upstream changed"); its ``Delete`` (or the origin actor's own) marks our
  copies "origin withdrawn". The inbox has checked that the object is the sender's.

Followed or not: what reuse records does not depend on the catalogue. The mapping is
here; what a notice or an upstream change does is ``interlink_blocks.reuse.upstream``'s.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from interlink_blocks.metadata import KIND_ASSET, KIND_CALL
from interlink_blocks.reuse.services import http_url
from interlink_blocks.reuse.upstream import (
    find_local_page,
    record_origin_actor_gone,
    record_reuse_notice,
    record_reuse_withdrawn,
    record_upstream_delete,
    record_upstream_update,
)

from .. import inbound
from .table import ANY, Incoming, handles, id_of

logger = logging.getLogger(__name__)

REUSABLE_KINDS = (KIND_CALL, KIND_ASSET)


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower() if http_url(url) else ""


@handles("Create", ANY)
@handles("Update", ANY)
def reused_by(incoming: Incoming) -> bool:
    """Another administration's call or asset derived from one of ours: count the reuse."""
    obj = incoming.object
    if obj is None or obj.get("interlink:kind") not in REUSABLE_KINDS:
        return False
    origin = id_of(obj.get("prov:wasDerivedFrom")) or id_of(obj.get("dct:isVersionOf"))
    page = find_local_page(origin) if origin else None
    actor_url, copy_id = incoming.sender.uri, incoming.object_id
    actor_host = _host(actor_url)
    if page is None or not actor_host or _host(copy_id) != actor_host:
        return False
    url = obj.get("url")
    url = url if isinstance(url, str) else ""
    record_reuse_notice(
        page,
        actor_url=actor_url,
        actor_name=incoming.sender.display_name or "",
        copy_object_id=copy_id,
        copy_url=url if _host(url) == actor_host else "",
    )
    logger.info("Reuse: %s reused our page %s as %s", actor_url, page.pk, copy_id)
    return True


@handles("Create", ANY)
@handles("Update", ANY)
def upstream_changed(incoming: Incoming) -> bool:
    """A new version of a call or asset we reused, from its origin."""
    obj = incoming.object
    if obj is None or obj.get("interlink:kind") not in REUSABLE_KINDS:
        return False
    # Our codes where the object carries vocabulary IRIs, as the reuse workflow reads them.
    local = inbound.to_local_vocabulary(obj)
    return bool(record_upstream_update(incoming.object_id, local, sender=incoming.sender.uri))


@handles("Delete", ANY)
def deleted(incoming: Incoming) -> bool:
    """A copy of ours is gone (uncounted), or an origin we reused is (marked withdrawn)."""
    object_id, actor_url = incoming.object_id, incoming.sender.uri
    if not object_id:
        return False
    if object_id == actor_url:
        return bool(record_origin_actor_gone(actor_url))
    uncounted = record_reuse_withdrawn(object_id, actor_url=actor_url)
    withdrawn = record_upstream_delete(object_id)
    return bool(uncounted or withdrawn)
