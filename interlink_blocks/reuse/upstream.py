"""Following the origin after a reuse: updates to review, withdrawals, reuses of ours.

Federation calls ``record_upstream_update`` / ``record_upstream_delete`` when the
origin sends ``Update`` / ``Delete`` for an object we reused, and
``record_reuse_notice`` when another administration announces it reused one of our
pages. Nothing here overwrites a page: ``apply_upstream`` makes a *draft* revision,
and only when an editor asks.
"""

import logging
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from ..fragments import invalidate
from ..metadata import (
    MetadataError,
    from_activity_object,
    metadata_identifier,
    metadata_to_page_fields,
)
from .content import apply_fields
from .errors import ReuseError
from .files import Fetch, FileIngester
from .models import Provenance, ProvenanceState, ReuseNotice
from .services import Resolver, check_licence, parse_time

logger = logging.getLogger(__name__)


def provenances_for(origin_id: str, metadata: dict | None = None):
    """Local reuses of the origin object ``origin_id`` (its AS id or ``urn:uuid:``)."""
    keys = {origin_id}
    if metadata is not None:
        try:
            keys.add(f"urn:uuid:{metadata_identifier(metadata)}")
        except MetadataError:
            pass
    return Provenance.objects.filter(origin_object_id__in=keys) | Provenance.objects.filter(
        origin_identifier__in=keys
    )


def record_upstream_update(origin_id: str, metadata: dict) -> list[Provenance]:
    """Stores the origin's new metadata and marks changed reuses "upstream changed".

    ``metadata`` may be the received ActivityStreams object itself: it is normalised
    with ``from_activity_object`` (a no-op for full metadata).
    """
    metadata = from_activity_object(metadata)
    changed = []
    for provenance in provenances_for(origin_id, metadata):
        provenance.received_snapshot = metadata
        if metadata != provenance.applied_snapshot:
            provenance.state = ProvenanceState.UPSTREAM_CHANGED
        provenance.save(update_fields=["received_snapshot", "state", "updated_at"])
        logger.info("Reuse: origin %s changed for page %s", origin_id, provenance.page_id)
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


def _fields(provenance: Provenance) -> dict:
    try:
        return metadata_to_page_fields(provenance.received_snapshot)
    except MetadataError as error:
        raise ReuseError(_("The origin's update cannot be used: %(e)s") % {"e": error}) from error


def latest_draft(provenance: Provenance):
    """A fresh in-memory copy of the page's latest revision, safe to modify.

    (``get_latest_revision_as_object`` returns the page itself when there is no draft,
    and changing that would change what is compared against.)
    """
    page = provenance.page.specific_class.objects.get(pk=provenance.page_id)
    revision = page.get_latest_revision()
    return revision.as_object() if revision else page


def proposed_page(provenance: Provenance):
    """The latest draft with the origin's changes applied in memory (for comparison).

    Files not brought in yet cannot be shown and are left out; applying downloads them.
    """
    page = latest_draft(provenance)
    apply_fields(
        page, _fields(provenance), Resolver(None, provenance.file_map), template_call=False
    )
    return page


def apply_upstream(provenance: Provenance, *, user, fetch: Fetch | None):
    """Saves the origin's changes as a new draft revision by ``user``; returns the revision."""
    check_licence(provenance.received_snapshot)
    fields = _fields(provenance)
    ingester = FileIngester(fetch)
    resolver = Resolver(ingester, provenance.file_map)
    try:
        with transaction.atomic():
            page = latest_draft(provenance)
            apply_fields(page, fields, resolver, template_call=False)
            revision = page.save_revision(user=user, log_action=True)
            provenance.applied_snapshot = provenance.received_snapshot
            provenance.file_map = resolver.file_map
            provenance.state = ProvenanceState.IN_SYNC
            provenance.licence = fields.get("licence", provenance.licence)
            provenance.origin_version = fields.get("version", provenance.origin_version)
            provenance.origin_updated_at = parse_time(
                provenance.received_snapshot.get("dct:modified")
            )
            provenance.save()
    except BaseException:
        ingester.discard()
        raise
    return revision


def find_local_page(origin: str):
    """Our call or asset named by ``origin``: ``urn:uuid:…``, a UUID, or a URL ending in one.

    Federation's object ids end in the page's UUID (``…/ap/objects/<uuid>``).
    """
    from ..models import AssetPage, CallPage

    text = str(origin).removeprefix("urn:uuid:").rstrip("/")
    try:
        key = uuid.UUID(text.rsplit("/", 1)[-1])
    except ValueError:
        return None
    for model in (AssetPage, CallPage):
        page = model.objects.filter(uuid=key).first()
        if page:
            return page
    return None


def record_reuse_notice(
    origin_page, *, actor_url: str, copy_object_id: str, actor_name: str = "", copy_url: str = ""
) -> ReuseNotice:
    """Records that ``actor_url`` reused our ``origin_page`` as ``copy_object_id`` (idempotent)."""
    notice, _created = ReuseNotice.objects.update_or_create(
        page=origin_page,
        copy_object_id=copy_object_id,
        defaults={
            "actor_url": actor_url,
            "actor_name": actor_name[:200],
            "copy_url": copy_url,
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
