"""Reusing another administration's call or asset as a local draft page.

``reuse_origin`` is the one entry point for federation ("Reuse in my site") and
package imports: licence first, then the duplicate check, then a draft of the
matching local type under the editor's chosen parent, files brought in through the
injected ``fetch``, and provenance recorded. It is all-or-nothing: any failure leaves
no page, no provenance and no stored file behind.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from ..metadata import (
    KIND_ASSET,
    MetadataError,
    from_activity_object,
    metadata_identifier,
    metadata_kind,
    metadata_licence,
    metadata_to_page_fields,
)
from ..models import AssetPage, CallPage
from .content import apply_fields
from .errors import DuplicateReuse, ReuseError, ReuseRefused
from .files import Fetch, FileIngester
from .models import Provenance, ReuseChannel

logger = logging.getLogger(__name__)


@dataclass
class Origin:
    """What is known about the object to reuse: its metadata and who published it."""

    metadata: dict
    object_id: str = ""
    url: str = ""
    actor_url: str = ""
    actor_name: str = ""


@dataclass
class ReuseResult:
    page: object
    provenance: Provenance
    dropped_blocks: list[str] = field(default_factory=list)


class Resolver:
    """Maps origin file URLs to local documents and images, downloading new ones."""

    def __init__(self, ingester: FileIngester | None, file_map: dict):
        self.ingester = ingester
        self.file_map = dict(file_map)

    def __call__(self, kind: str, url: str, title: str) -> int | None:
        known = self.file_map.get(url)
        model = get_image_model() if kind == "image" else get_document_model()
        if known and known.get("kind") == kind and model.objects.filter(pk=known["id"]).exists():
            return known["id"]
        if self.ingester is None:
            return None
        obj = (
            self.ingester.image(url, title)
            if kind == "image"
            else self.ingester.document(url, title)
        )
        self.file_map[url] = {"kind": kind, "id": obj.pk}
        return obj.pk


def check_licence(metadata: dict):
    """The origin's licence if it allows reuse; ``ReuseRefused`` with the reason otherwise."""
    try:
        licence = metadata_licence(metadata)
    except MetadataError as error:
        raise ReuseRefused(_("This cannot be reused: %(reason)s.") % {"reason": error}) from error
    if not licence.allows_reuse:
        raise ReuseRefused(
            _("This cannot be reused: its licence (%(licence)s) does not allow adaptations.")
            % {"licence": licence.label}
        )
    return licence


def existing_reuse(metadata: dict, object_id: str = "") -> Provenance | None:
    """The provenance of an earlier reuse of the same origin object, if any."""
    try:
        identifier = f"urn:uuid:{metadata_identifier(metadata)}"
    except MetadataError:
        identifier = None
    query = Provenance.objects.select_related("page")
    if identifier:
        found = query.filter(origin_identifier=identifier).first()
        if found:
            return found
    return query.filter(origin_object_id=object_id).first() if object_id else None


def page_model_for(metadata: dict):
    return AssetPage if metadata_kind(metadata) == KIND_ASSET else CallPage


def check_parent(model, parent, user) -> None:
    parent = parent.specific
    if not model.can_create_at(parent):
        raise ReuseRefused(
            _("A %(type)s cannot be created under “%(parent)s”.")
            % {"type": model._meta.verbose_name, "parent": parent.title}
        )
    if user is not None and not parent.permissions_for_user(user).can_add_subpage():
        raise ReuseRefused(
            _("You may not add pages under “%(parent)s”.") % {"parent": parent.title}
        )


def parse_time(value) -> datetime.datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def reuse_origin(
    origin: Origin,
    *,
    parent,
    user=None,
    fetch: Fetch | None,
    channel: str = ReuseChannel.FEDERATION,
) -> ReuseResult:
    """Creates a draft page from ``origin`` under ``parent``; see the module docstring.

    Raises ``ReuseRefused`` (licence, bad metadata, wrong parent, no permission),
    ``DuplicateReuse`` (open ``error.page`` instead) or ``ReuseError`` (a file could
    not be brought in).
    """
    try:
        # The same normal form as upstream updates get, so unchanged versions compare equal.
        metadata = from_activity_object(origin.metadata)
        model = page_model_for(metadata)
    except MetadataError as error:
        raise ReuseRefused(str(error)) from error
    licence = check_licence(metadata)
    earlier = existing_reuse(metadata, origin.object_id)
    if earlier is not None:
        raise DuplicateReuse(
            _("This was already reused here as “%(title)s”.") % {"title": earlier.page.title},
            earlier.page.specific,
        )
    try:
        fields = metadata_to_page_fields(metadata)
        identifier = f"urn:uuid:{metadata_identifier(metadata)}"
    except MetadataError as error:
        raise ReuseRefused(_("This cannot be reused: %(reason)s.") % {"reason": error}) from error
    check_parent(model, parent, user)

    ingester = FileIngester(fetch)
    resolver = Resolver(ingester, {})
    try:
        with transaction.atomic():
            page = model(live=False, owner=user)
            dropped = apply_fields(page, fields, resolver, template_call=True)
            parent.specific.add_child(instance=page)
            page.save_revision(user=user, log_action=True)
            provenance = Provenance.objects.create(
                page=page,
                origin_identifier=identifier,
                origin_object_id=origin.object_id,
                origin_url=origin.url or metadata.get("dcat:landingPage") or "",
                origin_name=origin.actor_name
                or (metadata.get("dct:publisher") or {}).get("foaf:name", ""),
                origin_actor_url=origin.actor_url,
                licence=licence.spdx_id,
                origin_version=fields.get("version", ""),
                origin_updated_at=parse_time(metadata.get("dct:modified")),
                lineage=_lineage(metadata),
                channel=channel,
                applied_snapshot=metadata,
                received_snapshot=metadata,
                file_map=resolver.file_map,
            )
    except BaseException:
        ingester.discard()
        raise
    logger.info("Reuse: %s reused as page %s", identifier, page.pk)
    return ReuseResult(page=page, provenance=provenance, dropped_blocks=dropped)


def _lineage(metadata: dict) -> list:
    lineage = metadata.get("interlink:lineage") or []
    if not isinstance(lineage, list):
        return []
    # Bounded: a lineage is a short chain of administrations, not a payload.
    return [entry for entry in lineage if isinstance(entry, dict)][:20]


__all__ = [
    "DuplicateReuse",
    "Origin",
    "ReuseError",
    "ReuseRefused",
    "ReuseResult",
    "check_licence",
    "existing_reuse",
    "reuse_origin",
]
