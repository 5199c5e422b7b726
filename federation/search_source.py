"""The federated catalogue as a search source (imported by ``FederationConfig.ready``
only when the ``search`` app is installed; ``search`` never imports ``federation``).

``RemoteObject`` saves and deletes queue index updates through the registry's
``post_save``/``post_delete`` receivers. An origin's ``Delete`` and a block withdraw rows
with a queryset ``update()``, which sends no signal, so ``withdraw`` says so with
``remote_objects_withdrawn``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch
from django.utils.dateparse import parse_date
from django.utils.text import slugify

from interlink_blocks.metadata.terms import language_code, licence_from_uri
from interlink_blocks.sanitise import plain_text
from interlink_search.documents import content_language, language_tag, make_document
from interlink_search.indexing import queue_updates
from interlink_search.registry import register_source
from interlink_search.types import Document

from .models import RemoteObject, remote_objects_withdrawn

SOURCE = "federation.catalogue"


def remote_key(obj: RemoteObject) -> str:
    return f"remote:{obj.uri}"


def _as_list(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    return value if isinstance(value, list) else [value]


def _taxonomy_slugs(model_name: str, items: list[Any]) -> list[str]:
    """Slugs of remote taxonomy terms: ``{"interlink:slug", "foaf:name"}`` objects (our
    nodes) or plain names (``dcat:keyword``, other software). A name matches ours by
    name, else becomes a slug."""
    from django.apps import apps

    model = apps.get_model("interlink_blocks", model_name)
    known = {name.lower(): slug for name, slug in model.objects.values_list("name", "slug")}
    slugs = []
    for item in items:
        slug, name = "", item
        if isinstance(item, dict):
            slug = slugify(str(item.get("interlink:slug") or ""))
            name = item.get("foaf:name") or ""
        if not slug and isinstance(name, str) and name.strip():
            slug = known.get(name.strip().lower(), slugify(name))
        if slug:
            slugs.append(slug)
    return list(dict.fromkeys(slugs))


def _date(value: Any) -> datetime.date | None:
    """An ISO date, or None for anything else (including "2027-02-30")."""
    try:
        return parse_date(str(value or "")[:10])
    except ValueError:
        return None


def _languages(values: list[Any]) -> list[str]:
    """ISO 639-1 codes from EU language authority URIs, bare EU codes ("SPA") or
    language tags ("es", "es-ES"); anything else is dropped."""
    codes = []
    for value in values:
        if isinstance(value, dict):
            value = value.get("id") or value.get("@id") or ""
        if not isinstance(value, str):
            continue
        code = language_code(value.strip()) or language_tag(value.strip())
        if code:
            codes.append(code)
    return list(dict.fromkeys(codes))


def _licence(value: Any) -> str:
    """The SPDX id of a licence we know, from its URI, id or a ``dct:identifier`` object."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("dct:identifier") or value.get("id") or value.get("@id") or ""
    licence = licence_from_uri(value) if isinstance(value, str) else None
    return licence.spdx_id if licence else ""


def _code(value: Any) -> str:
    """One of our codes (a status, a form); vocabulary IRIs and other shapes are none."""
    return value if isinstance(value, str) and "://" not in value else ""


def _roles(values: list[Any]) -> list[str]:
    return [role for role in values if isinstance(role, str) and role]


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
    sectors = _as_list(fields.get("cv:sector")) or _as_list(fields.get("dcat:keyword"))
    declared = _languages(_as_list(fields.get("dct:language")))
    text_language = language_tag(obj.language)  # of ``contentMap``
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
        "sector": _taxonomy_slugs("Sector", sectors),
        "tags": obj.tags or [],
    }
    if obj.kind == "call":
        roles = [
            item.get("cv:role")
            for item in _as_list(fields.get("cv:hasParticipation"))
            if isinstance(item, dict)
        ]
        governance = fields.get("interlink:governanceModel")
        return make_document(
            **common,
            languages=[text_language] if text_language else declared,
            text_language=text_language or (declared[0] if declared else ""),
            status=_code(fields.get("adms:status")),
            phase=_code(fields.get("interlink:phase")),
            deadline=_date(fields.get("interlink:deadline")),
            opens_at=_date(fields.get("interlink:opensAt")),
            participants=_roles(roles),
            life_event=_taxonomy_slugs("LifeEvent", _as_list(fields.get("cv:isGroupedBy"))),
            governance_model=slugify(governance) if isinstance(governance, str) else "",
        )
    # As for a local asset: the text's language unless the asset says it is only in others.
    return make_document(
        **common,
        languages=declared or ([text_language] if text_language else []),
        text_language=content_language(text_language, declared),
        asset_form=_code(fields.get("dct:type")),
        licence=_licence(fields.get("dct:license")),
        participants=_roles(
            _as_list(fields.get("interlink:targetUsers"))
            or _as_list(fields.get("interlink:participantType"))
        ),
    )


def _catalogue() -> QuerySet:
    return RemoteObject.objects.select_related("actor").filter(deleted_at=None).order_by("pk")


def _on_withdrawn(sender: type, pks: list[int], **kwargs: Any) -> None:
    queue_updates(
        (SOURCE, obj.pk, remote_key(obj), "upsert")
        for obj in RemoteObject.objects.filter(pk__in=pks)
    )


register_source(
    RemoteObject,
    name=SOURCE,
    key=remote_key,
    to_document=remote_document,
    queryset=_catalogue,
)
remote_objects_withdrawn.connect(_on_withdrawn, dispatch_uid="search:federation:withdrawn")
