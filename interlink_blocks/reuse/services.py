"""Reusing another administration's call or asset as a local draft page.

``reuse_origin`` is the one entry point for federation ("Reuse in my site") and
package imports: licence first, then the duplicate check, then a draft of the
matching local type under the editor's chosen parent, files brought in through the
injected ``fetch``, and provenance recorded. It is all-or-nothing: any failure leaves
no page, no provenance and no stored file behind.

It runs in three steps so the database is never held while the network is used:
*plan* (the content on a scratch page: validated, its files listed), *fetch* (files
downloaded and stored, outside any transaction), *write* (one short transaction that
only inserts rows). Stored files are deleted again if anything fails.
"""

import datetime
import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

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
from .refs import FileRefs

logger = logging.getLogger(__name__)

# Set by the page tree when the page is added, not by the origin.
TREE_FIELDS = (
    "path", "depth", "numchild", "url_path", "slug", "draft_title", "locale",
    "translation_key", "content_type", "owner",
)  # fmt: skip


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


def http_url(value) -> str:
    """``value`` if it is an http(s) URL, else ``""`` (never a ``javascript:`` link)."""
    if not isinstance(value, str):
        return ""
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else ""


def origin_hosts(*urls: str) -> set[str]:
    """The hosts (``host[:port]``) of the origin's http(s) URLs."""
    return {urlsplit(url).netloc.lower() for url in urls if http_url(url)}


def normalised(metadata) -> dict:
    """The origin's metadata in the normal form upstream updates get too (so unchanged
    versions compare equal); ``ReuseRefused`` if it is not even shaped like metadata."""
    try:
        return from_activity_object(metadata)
    except (MetadataError, TypeError, AttributeError, RecursionError) as error:
        raise ReuseRefused(
            _("This cannot be reused: %(reason)s.") % {"reason": _("its metadata is malformed")}
        ) from error


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


def invalid_page_message(model, error: ValidationError) -> str:
    """A page validation error as one sentence naming the fields, for the editor."""
    if not hasattr(error, "error_dict"):
        return _("The origin's content does not make a valid page here: %(errors)s") % {
            "errors": " ".join(error.messages)
        }
    parts = []
    for name, messages in error.message_dict.items():
        try:
            label = capfirst(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            label = "" if name == NON_FIELD_ERRORS else name
        parts.append(f"{label}: {' '.join(messages)}" if label else " ".join(messages))
    return _("The origin's content does not make a valid page here: %(errors)s") % {
        "errors": "; ".join(parts)
    }


def check_page(page) -> None:
    """The page's own field validation, before any download or write (tree fields aside)."""
    try:
        page.clean_fields(exclude=TREE_FIELDS)
    except ValidationError as error:
        raise ReuseRefused(invalid_page_message(type(page), error)) from error


def parse_time(value) -> datetime.datetime | None:
    try:
        return parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None


def reuse_origin(
    origin: Origin,
    *,
    parent,
    user=None,
    fetch: Fetch | None,
    channel: str = ReuseChannel.FEDERATION,
) -> ReuseResult:
    """Creates a draft page from ``origin`` under ``parent``; see the module docstring.

    Raises ``ReuseRefused`` (licence, bad metadata, wrong parent, no permission, a page
    that would not validate), ``DuplicateReuse`` (open ``error.page`` instead) or
    ``ReuseError`` (a file could not be brought in).
    """
    metadata = normalised(origin.metadata)
    try:
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
    refs = {
        "link_hosts": origin_hosts(origin.object_id, origin.actor_url, origin.url),
        "package": channel == ReuseChannel.PACKAGE,
    }
    try:
        fields = metadata_to_page_fields(metadata)
        identifier = f"urn:uuid:{metadata_identifier(metadata)}"
        check_parent(model, parent, user)
        # 1. Plan: the content on a scratch page, validated; files listed, none fetched.
        plan, scratch = FileRefs(collect=True, **refs), model(live=False, owner=user)
        apply_fields(scratch, fields, plan, template_call=True)
        check_page(scratch)
    except MetadataError as error:
        raise ReuseRefused(_("This cannot be reused: %(reason)s.") % {"reason": error}) from error

    ingester = FileIngester(fetch)
    try:
        # 2. Files, outside any transaction (the database stays free for the inbox).
        ingester.fetch_all(plan.wanted)
        # 3. Database writes only.
        with transaction.atomic():
            page = model(live=False, owner=user)
            resolver = FileRefs(ingester=ingester, **refs)
            dropped = apply_fields(page, fields, resolver, template_call=True)
            parent.specific.add_child(instance=page)
            page.save_revision(user=user, log_action=True)
            provenance = Provenance.objects.create(
                page=page,
                origin_identifier=identifier,
                origin_object_id=origin.object_id,
                origin_url=http_url(origin.url) or http_url(metadata.get("dcat:landingPage")),
                origin_name=(origin.actor_name or _publisher_name(metadata))[:200],
                origin_actor_url=http_url(origin.actor_url),
                licence=licence.spdx_id,
                origin_version=fields.get("version", ""),
                origin_updated_at=parse_time(metadata.get("dct:modified")),
                lineage=_lineage(metadata),
                channel=channel,
                applied_snapshot=metadata,
                received_snapshot=metadata,
                file_map=resolver.file_map,
            )
    except ValidationError as error:
        ingester.discard()
        raise ReuseRefused(invalid_page_message(model, error)) from error
    except MetadataError as error:
        ingester.discard()
        raise ReuseRefused(_("This cannot be reused: %(reason)s.") % {"reason": error}) from error
    except BaseException:
        ingester.discard()
        raise
    ingester.discard_unused()
    logger.info("Reuse: %s reused as page %s", identifier, page.pk)
    return ReuseResult(page=page, provenance=provenance, dropped_blocks=dropped)


def _publisher_name(metadata: dict) -> str:
    publisher = metadata.get("dct:publisher")
    name = publisher.get("foaf:name") if isinstance(publisher, dict) else None
    return name[:200] if isinstance(name, str) else ""


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
