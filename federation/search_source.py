"""The federated catalogue as a search source (imported by ``FederationConfig.ready``
only when the ``search`` app is installed; ``search`` never imports ``federation``).

``RemoteObject`` saves and deletes queue index updates through the registry's
``post_save``/``post_delete`` receivers. An inbound ``Delete`` marks the row with a
queryset ``update()``, which sends no signal, so the processed ``InboxMessage`` of a
``Delete`` queues the update instead.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_save
from django.urls import NoReverseMatch
from django.utils.dateparse import parse_date
from django.utils.text import slugify

from search.documents import make_document, plain_text
from search.indexing import queue_update
from search.registry import register_source
from search.types import Document

from .models import InboxMessage, InboxState, RemoteObject

SOURCE = "federation.catalogue"


def remote_key(obj: RemoteObject) -> str:
    return f"remote:{obj.uri}"


def _as_list(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    return value if isinstance(value, list) else [value]


def _sector_slugs(keywords: list[Any]) -> list[str]:
    """Remote sectors arrive as names; match ours by name, else slugify the name."""
    from interlink_blocks.models import Sector

    names = [str(keyword) for keyword in keywords if keyword]
    known = {name.lower(): slug for name, slug in Sector.objects.values_list("name", "slug")}
    return [known.get(name.lower(), slugify(name)) for name in names]


def _url(obj: RemoteObject) -> str:
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return obj.url


def remote_document(obj: RemoteObject) -> Document | None:
    """The search document of a catalogue row; None if deleted or not a call/asset."""
    if obj.deleted_at is not None or obj.kind not in ("call", "asset"):
        return None
    fields: dict[str, Any] = obj.fields or {}
    actor = obj.actor
    common: dict[str, Any] = {
        "key": remote_key(obj),
        "kind": obj.kind,
        "origin": "federated",
        "title": obj.name or obj.uri,
        "summary": obj.summary,
        "text": plain_text(obj.content_html),
        "url": _url(obj),
        "municipality": actor.name or actor.username or actor.domain,
        "published_at": obj.published,
        "sector": _sector_slugs(_as_list(fields.get("dcat:keyword"))),
        "tags": obj.tags or [],
    }
    if obj.kind == "call":
        roles = [
            item.get("cv:role")
            for item in _as_list(fields.get("cv:hasParticipation"))
            if isinstance(item, dict)
        ]
        return make_document(
            **common,
            languages=[obj.language] if obj.language else [],
            status=fields.get("adms:status") or "",
            phase=fields.get("interlink:phase") or "",
            deadline=parse_date(str(fields.get("interlink:deadline") or "")),
            opens_at=parse_date(str(fields.get("interlink:opensAt") or "")),
            participants=[role for role in roles if isinstance(role, str)],
        )
    licence = fields.get("dct:license")
    languages = [str(code) for code in _as_list(fields.get("dct:language")) if code]
    return make_document(
        **common,
        languages=languages or ([obj.language] if obj.language else []),
        asset_form=fields.get("dct:type") if isinstance(fields.get("dct:type"), str) else "",
        licence=licence.get("dct:identifier", "") if isinstance(licence, dict) else "",
        participants=[
            role
            for role in _as_list(fields.get("interlink:participantType"))
            if isinstance(role, str)
        ],
    )


def _catalogue() -> QuerySet:
    return RemoteObject.objects.select_related("actor").filter(deleted_at=None).order_by("pk")


def _object_uri(activity: dict[str, Any]) -> str:
    obj = activity.get("object")
    return str(obj.get("id", "")) if isinstance(obj, dict) else str(obj or "")


def _on_inbox_processed(sender: type, instance: InboxMessage, **kwargs: Any) -> None:
    if instance.state != InboxState.PROCESSED or instance.activity_type != "Delete":
        return
    uri = _object_uri(instance.body if isinstance(instance.body, dict) else {})
    for obj in RemoteObject.objects.filter(uri=uri):
        queue_update(SOURCE, obj.pk, remote_key(obj), "upsert")


register_source(
    RemoteObject,
    name=SOURCE,
    key=remote_key,
    to_document=remote_document,
    queryset=_catalogue,
)
post_save.connect(_on_inbox_processed, sender=InboxMessage, dispatch_uid="search:federation:inbox")
