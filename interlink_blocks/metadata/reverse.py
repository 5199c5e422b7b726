"""Metadata → page fields, validated; and ActivityStreams objects → metadata."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from ..choices import (
    AdministrativeScope,
    AssetForm,
    CallStatus,
    Difficulty,
    Licence,
    Maturity,
    ParticipantType,
    Phase,
)
from .terms import (
    KIND_ASSET,
    KIND_CALL,
    TYPE_ASSET,
    TYPE_CALL,
    MetadataError,
    language_code,
    licence_from_uri,
)


def metadata_kind(data: dict) -> str:
    """``"asset"`` or ``"call"``; raises ``MetadataError`` for anything else."""
    if not isinstance(data, dict):
        raise MetadataError("metadata must be a JSON object")
    kind = data.get("interlink:kind")
    if kind is None:
        kind = {TYPE_ASSET: KIND_ASSET, TYPE_CALL: KIND_CALL}.get(data.get("@type"))
    if kind not in (KIND_ASSET, KIND_CALL):
        raise MetadataError("metadata describes neither an asset nor a call")
    return kind


def metadata_licence(data: dict) -> Licence:
    """The metadata's licence; unknown or missing licences raise ``MetadataError``."""
    raw = data.get("dct:license")
    if isinstance(raw, dict):  # {"id": URL, "dct:identifier": SPDX id}, as some serialisers write
        raw = raw.get("dct:identifier") or raw.get("id") or raw.get("@id")
    licence = licence_from_uri(raw) if raw else None
    if licence is None:
        raise MetadataError(f"unknown licence: {raw!r}" if raw else "no licence given")
    return licence


def metadata_identifier(data: dict) -> uuid.UUID:
    raw = data.get("dct:identifier")
    try:
        return uuid.UUID(str(raw).removeprefix("urn:uuid:"))
    except ValueError:
        raise MetadataError(f"bad identifier: {raw!r}") from None


def _text(data: dict, key: str, max_length: int, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise MetadataError(f"{key} must be text")
    value = value.strip()
    if required and not value:
        raise MetadataError(f"{key} is required")
    return value[:max_length]


def _choice(data: dict, key: str, choices, default: str) -> str:
    value = data.get(key)
    if value is None:
        return default
    if value not in choices.values:
        raise MetadataError(f"{key}: unknown value {value!r}")
    return value


def _string_list(data: dict, key: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise MetadataError(f"{key} must be a list of text")
    return value


def _objects(data: dict, key: str) -> list[dict]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise MetadataError(f"{key} must be a list of objects")
    return value


def _slugs(data: dict, key: str) -> list[str]:
    return [str(item.get("interlink:slug", ""))[:120] for item in _objects(data, key)]


def _date(data: dict, key: str) -> datetime.date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise MetadataError(f"{key} is not a date") from None


def metadata_to_page_fields(data: dict) -> dict:
    """Model field values for a new page, validated; the reverse of ``page_metadata``.

    Plain fields come back under their model names. Relations that need lookups or
    downloads come back as raw values for the caller to resolve: ``sectors`` and
    ``life_events`` (slugs), ``governance_model`` (a slug or None), ``body`` (the
    portable stream, still holding ``interlink:ref`` objects) and, for assets,
    ``distributions`` and ``depictions`` (lists of dicts with URLs). Raises
    ``MetadataError`` on wrong types and unknown values.
    """
    kind = metadata_kind(data)
    fields: dict[str, Any] = {
        "title": _text(data, "dct:title", 255, required=True),
        "summary": _text(data, "dct:description", 600),
        "sectors": _slugs(data, "cv:sector"),
        "sector_names": _string_list(data, "interlink:sectorNames"),
        "body": data.get("interlink:body") or [],
    }
    if not isinstance(fields["body"], list):
        raise MetadataError("interlink:body must be a list of blocks")
    if kind == KIND_ASSET:
        fields.update(_asset_fields(data))
    else:
        fields.update(_call_fields(data))
    return fields


def _asset_fields(data: dict) -> dict:
    languages = [language_code(item) for item in _string_list(data, "dct:language")]
    users = _string_list(data, "interlink:targetUsers")
    if any(user not in ParticipantType.values for user in users):
        raise MetadataError("interlink:targetUsers: unknown value")
    publisher = data.get("dct:publisher") or {}
    if not isinstance(publisher, dict):
        raise MetadataError("dct:publisher must be an object")
    distributions = _objects(data, "dcat:distribution")
    depictions = _objects(data, "foaf:depiction")
    for item in [*distributions, *depictions]:
        if not isinstance(item.get("dcat:downloadURL"), str):
            raise MetadataError("every distribution needs a dcat:downloadURL")
        size = item.get("dcat:byteSize")
        if size is not None and (not isinstance(size, int) or size < 0):
            raise MetadataError("dcat:byteSize must be a non-negative integer")
    source = data.get("dct:source") or ""
    if not isinstance(source, str):
        raise MetadataError("dct:source must be a URL")
    return {
        "form": _choice(data, "dct:type", AssetForm, AssetForm.GUIDE),
        "licence": metadata_licence(data).spdx_id,
        "languages": [code for code in languages if code],
        "maturity": _choice(data, "adms:status", Maturity, Maturity.PILOT),
        "version": _text(data, "owl:versionInfo", 30) or "1.0",
        "difficulty": _choice(data, "interlink:difficulty", Difficulty, Difficulty.MEDIUM),
        "administrative_scope": _choice(
            data, "interlink:administrativeScope", AdministrativeScope, AdministrativeScope.LOCAL
        ),
        "target_users": users,
        "publisher": _text(publisher, "foaf:name", 200),
        "source_url": source[:200],
        "distributions": distributions,
        "depictions": depictions,
    }


def _call_fields(data: dict) -> dict:
    roles = [item.get("cv:role") for item in _objects(data, "cv:hasParticipation")]
    if any(role not in ParticipantType.values for role in roles):
        raise MetadataError("cv:hasParticipation: unknown role")
    contact = data.get("cv:hasContactPoint") or {}
    if not isinstance(contact, dict):
        raise MetadataError("cv:hasContactPoint must be an object")
    schema = data.get("interlink:coproductionSchema") or []
    if not isinstance(schema, list):
        raise MetadataError("interlink:coproductionSchema must be a list")
    governance = data.get("interlink:governanceModel")
    if governance is not None and not isinstance(governance, str):
        raise MetadataError("interlink:governanceModel must be a slug")
    return {
        "status": _choice(data, "adms:status", CallStatus, CallStatus.DRAFT_IDEA),
        "phase": _choice(data, "interlink:phase", Phase, Phase.ENGAGE),
        "participant_types": roles,
        "opens_at": _date(data, "interlink:opensAt"),
        "deadline": _date(data, "interlink:deadline"),
        "place": _text(data, "dct:spatial", 200),
        "contact_name": _text(contact, "schema:name", 120),
        "contact_email": _text(contact, "schema:email", 254),
        "contact_phone": _text(contact, "schema:telephone", 40),
        "how_to_contribute": _text(data, "interlink:howToContribute", 20000),
        "coproduction_schema": schema,
        "life_events": _slugs(data, "cv:isGroupedBy"),
        "governance_model": governance,
    }


def from_activity_object(obj: dict) -> dict:
    """Metadata from an ActivityStreams object that carries only part of our terms.

    Objects made with ``page_metadata`` merged in pass through unchanged. Otherwise the
    ActivityStreams fields fill the gaps: ``content`` becomes one paragraph (sanitised on
    import), ``url``/``updated`` the landing page and modification time, ``attachment``
    and ``dcat:accessURL`` the distributions, ``dcat:keyword`` the sectors by name.
    """
    if not isinstance(obj, dict):
        raise MetadataError("an ActivityStreams object must be a JSON object")
    data = dict(obj)
    data.setdefault("dct:title", obj.get("name"))
    data.setdefault("dct:description", obj.get("summary"))
    data.setdefault("dcat:landingPage", obj.get("url") if isinstance(obj.get("url"), str) else None)
    data.setdefault("dct:modified", obj.get("updated") or obj.get("published"))
    if "interlink:body" not in data and isinstance(obj.get("content"), str):
        data["interlink:body"] = [{"type": "paragraph", "value": obj["content"]}]
    if "interlink:targetUsers" not in data and "interlink:participantType" in data:
        data["interlink:targetUsers"] = data["interlink:participantType"]
    if "adms:status" not in data and "interlink:maturity" in data:
        data["adms:status"] = data["interlink:maturity"]
    listed = data.get("dcat:distribution") or []
    if isinstance(listed, dict):
        listed = [listed]  # JSON-LD allows a single value where a list is expected
    if not isinstance(listed, list):
        raise MetadataError("dcat:distribution must be a list of objects")
    distributions = []
    for item in listed:
        if isinstance(item, dict) and "dcat:downloadURL" not in item:
            item = {**item, "dcat:downloadURL": item.get("dcat:accessURL")}
        distributions.append(item)
    data["dcat:distribution"] = distributions
    if "cv:sector" not in data:
        names = data.get("dcat:keyword") or []
        data["interlink:sectorNames"] = (
            [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
        )
    return data
