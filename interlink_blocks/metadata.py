"""Calls and assets as ADMS-AP / DCAT-AP / CPSV-AP metadata, and back.

One vocabulary for everything that leaves the node: federation's ActivityStreams
objects, reuse packages (``manifest.json``) and the reuse workflow all carry the
dict built here. The functions are pure (no writes, no network); the keys are
compact IRIs resolved by ``JSONLD_CONTEXT``.

* ADMS-AP (https://semiceu.github.io/ADMS-AP/) describes reusable assets:
  ``adms:status``, ``owl:versionInfo``, ``dct:type``.
* DCAT-AP (https://semiceu.github.io/DCAT-AP/) describes files:
  ``dcat:distribution`` with ``dcat:downloadURL``, ``dcat:mediaType``, ``dcat:byteSize``.
* CPSV-AP (https://semiceu.github.io/CPSV-AP/) describes public services; a call
  is a ``cpsv:PublicService`` in the making, with ``cv:Participation`` roles.

Interlink-only terms (difficulty, the co-production schema, the portable body) live
in the ``interlink:`` namespace.

>>> licence_uri("CC-BY-4.0")
'http://spdx.org/licenses/CC-BY-4.0'
>>> licence_from_uri("http://spdx.org/licenses/CC-BY-4.0").spdx_id
'CC-BY-4.0'
"""

from __future__ import annotations

import datetime
import mimetypes
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from wagtail import blocks

from .choices import (
    LICENCES,
    AdministrativeScope,
    AssetForm,
    CallStatus,
    Difficulty,
    Licence,
    Maturity,
    ParticipantType,
    Phase,
)

INTERLINK_NS = "https://w3id.org/interlink/ns#"
SPDX_NS = "http://spdx.org/licenses/"
EU_LANGUAGE_NS = "http://publications.europa.eu/resource/authority/language/"

KIND_ASSET = "asset"
KIND_CALL = "call"
TYPE_ASSET = "adms:Asset"
TYPE_CALL = "cpsv:PublicService"

#: Calls carry no licence field; their text is shared as CC BY 4.0.
CALL_LICENCE = "CC-BY-4.0"

#: JSON-LD term definitions for every key this module writes (merge into an
#: ActivityStreams ``@context`` list as one more object).
JSONLD_CONTEXT: dict[str, Any] = {
    "adms": "http://www.w3.org/ns/adms#",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "http://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "interlink": INTERLINK_NS,
    "dct:license": {"@type": "@id"},
    "dct:language": {"@type": "@id", "@container": "@set"},
    "dct:identifier": {"@type": "xsd:string"},
    "dct:modified": {"@type": "xsd:dateTime"},
    "dct:issued": {"@type": "xsd:dateTime"},
    "dct:source": {"@type": "@id"},
    "dct:isVersionOf": {"@type": "@id"},
    "prov:wasDerivedFrom": {"@type": "@id"},
    "dcat:distribution": {"@container": "@set"},
    "dcat:downloadURL": {"@type": "@id"},
    "dcat:byteSize": {"@type": "xsd:nonNegativeInteger"},
    "dcat:keyword": {"@container": "@set"},
    "foaf:depiction": {"@container": "@set"},
    "cv:hasParticipation": {"@container": "@set"},
    "cv:sector": {"@container": "@set"},
    "interlink:lineage": {"@container": "@list"},
    "interlink:body": {"@type": "@json"},
    "interlink:coproductionSchema": {"@type": "@json"},
}

# ISO 639-1 (what pages store) to the EU Publications Office language authority.
_EU_LANGUAGE_CODES = {
    "bg": "BUL", "cs": "CES", "da": "DAN", "de": "DEU", "el": "ELL", "en": "ENG",
    "es": "SPA", "et": "EST", "fi": "FIN", "fr": "FRA", "ga": "GLE", "hr": "HRV",
    "hu": "HUN", "it": "ITA", "lt": "LIT", "lv": "LAV", "mt": "MLT", "nl": "NLD",
    "pl": "POL", "pt": "POR", "ro": "RON", "sk": "SLK", "sl": "SLV", "sv": "SWE",
}  # fmt: skip
_ISO_639_1 = {three: two for two, three in _EU_LANGUAGE_CODES.items()}

# Extra terms contributed by optional apps (the reuse app adds lineage), so the core
# never imports them. Each provider returns a dict merged into the page's metadata.
_term_providers: list[Callable[[Any], dict]] = []


class MetadataError(ValueError):
    """Metadata that cannot become a page: wrong types, unknown values, missing title."""


def register_term_provider(provider: Callable[[Any], dict]) -> None:
    if provider not in _term_providers:
        _term_providers.append(provider)


def extra_terms(page) -> dict:
    """Terms optional apps add for ``page`` (a reused page's ``prov:wasDerivedFrom``, lineage).

    ``page_metadata`` includes them; a serialiser that builds its own object can merge them.
    """
    terms: dict = {}
    for provider in _term_providers:
        terms.update(provider(page))
    return terms


# --- small helpers -------------------------------------------------------------


def licence_uri(spdx_id: str) -> str:
    return SPDX_NS + spdx_id


def licence_from_uri(value: str) -> Licence | None:
    """The known licence named by an SPDX URI, a bare SPDX id or the licence's own URL."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    for prefix in (SPDX_NS, "https://spdx.org/licenses/"):
        if value.startswith(prefix):
            value = value[len(prefix) :].removesuffix(".html")
    if value in LICENCES:
        return LICENCES[value]
    return next((lic for lic in LICENCES.values() if lic.url and lic.url == value), None)


def language_uri(code: str) -> str:
    return EU_LANGUAGE_NS + _EU_LANGUAGE_CODES.get(code, code.upper())


def language_code(value: str) -> str | None:
    code = value.rsplit("/", 1)[-1] if isinstance(value, str) else ""
    if code in _ISO_639_1:
        return _ISO_639_1[code]
    return code if code in _EU_LANGUAGE_CODES else None


def _iso(value: datetime.datetime | datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _absolute(base_url: str, url: str) -> str:
    return urljoin(base_url.rstrip("/") + "/", url)


def file_url(obj, base_url: str) -> str:
    """The absolute URL of a Wagtail document (its serve view) or image (its original file)."""
    from wagtail.documents import get_document_model

    if isinstance(obj, get_document_model()):
        return _absolute(base_url, obj.url)
    return _absolute(base_url, obj.file.url)


def _media_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


# --- the portable body -----------------------------------------------------------


def walk_stream(
    block: blocks.Block,
    raw: Any,
    on_chooser: Callable[[blocks.ChooserBlock, Any], Any],
    on_rich_text: Callable[[Any], Any],
) -> Any:
    """Rebuild a StreamField's raw JSON, letting callbacks replace node-local values.

    Chooser values (page, image and document ids) mean nothing on another node and
    rich text holds ``linktype`` references by id, so export swaps them for URLs and
    import swaps them back. Unknown block types are dropped: a block another node's
    code does not know cannot be edited here. Raises ``MetadataError`` on a shape that
    does not match the block definition.
    """
    if isinstance(block, blocks.ChooserBlock):
        return on_chooser(block, raw)
    if isinstance(block, blocks.RichTextBlock):
        if raw is not None and not isinstance(raw, str):
            raise MetadataError("rich text must be a string")
        return on_rich_text(raw or "")
    if isinstance(block, blocks.StreamBlock):
        if not isinstance(raw, list):
            raise MetadataError("a stream must be a list of blocks")
        items = []
        for item in raw:
            if not isinstance(item, dict) or item.get("type") not in block.child_blocks:
                continue
            child = block.child_blocks[item["type"]]
            value = walk_stream(child, item.get("value"), on_chooser, on_rich_text)
            items.append({"type": item["type"], "value": value, "id": item.get("id")})
        return items
    if isinstance(block, blocks.ListBlock):
        if not isinstance(raw, list):
            raise MetadataError("a list block must be a list")
        result = []
        for item in raw:
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
                value = walk_stream(block.child_block, item["value"], on_chooser, on_rich_text)
                result.append({"type": "item", "value": value, "id": item.get("id")})
            else:
                result.append(walk_stream(block.child_block, item, on_chooser, on_rich_text))
        return result
    if isinstance(block, blocks.StructBlock):
        if not isinstance(raw, dict):
            raise MetadataError("a struct block must be an object")
        return {
            name: walk_stream(child, raw.get(name), on_chooser, on_rich_text)
            for name, child in block.child_blocks.items()
            if name in raw
        }
    return raw


def _exported_body(page, base_url: str) -> list:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page
    from wagtail.rich_text import expand_db_html

    def on_chooser(block, value):
        if value in (None, ""):
            return None
        model = block.target_model
        obj = model._default_manager.filter(pk=value).first()
        if obj is None:
            return None
        if issubclass(model, get_image_model()):
            return {"interlink:ref": "image", "url": file_url(obj, base_url), "title": obj.title}
        if issubclass(model, get_document_model()):
            return {"interlink:ref": "document", "url": file_url(obj, base_url), "title": obj.title}
        if issubclass(model, Page):
            url = obj.specific.get_full_url() if obj.live else None
            return {"interlink:ref": "page", "url": url, "title": obj.title}
        return None

    def on_rich_text(html):
        # Front-end HTML with absolute links: readable anywhere, ids gone.
        expanded = expand_db_html(html)
        return expanded.replace('href="/', f'href="{base_url.rstrip("/")}/')

    body_field = page._meta.get_field("body")
    return walk_stream(
        body_field.stream_block, page.body.get_prep_value(), on_chooser, on_rich_text
    )


# --- page → metadata -------------------------------------------------------------


def page_metadata(page, *, base_url: str | None = None, publisher: str | None = None) -> dict:
    """A call or asset page as a dict of ADMS-AP / DCAT / CPSV-AP terms.

    ``base_url`` makes file and page URLs absolute (default: the page's site root URL);
    ``publisher`` names the administration (default: the asset's publisher field, else
    the site name).
    """
    from .models import AssetPage, CallPage

    page = page.specific
    site = page.get_site()
    base_url = base_url or (site.root_url if site else "")
    publisher_name = publisher or getattr(page, "publisher", "") or (site.site_name if site else "")
    data: dict[str, Any] = {
        "dct:identifier": f"urn:uuid:{page.uuid}",
        "dct:title": page.title,
        "dct:description": page.summary,
        "dct:publisher": {"foaf:name": publisher_name},
        "dct:issued": _iso(page.first_published_at),
        "dct:modified": _iso(page.last_published_at or page.latest_revision_created_at),
        "dcat:landingPage": page.get_full_url() if page.live else None,
        "interlink:body": _exported_body(page, base_url),
    }
    sectors = list(page.sectors.all())
    data["cv:sector"] = [{"interlink:slug": s.slug, "foaf:name": s.name} for s in sectors]
    data["dcat:keyword"] = [s.name for s in sectors]
    if isinstance(page, AssetPage):
        data.update(_asset_terms(page, base_url))
    elif isinstance(page, CallPage):
        data.update(_call_terms(page))
    else:
        raise MetadataError(f"{type(page).__name__} has no reuse metadata")
    data.update(extra_terms(page))
    return data


def _asset_terms(page, base_url: str) -> dict:
    distributions = []
    for item in page.documents.select_related("document"):
        document = item.document
        distributions.append(
            {
                "dct:title": document.title,
                "dcat:downloadURL": file_url(document, base_url),
                "dcat:mediaType": _media_type(document.filename),
                "dcat:byteSize": document.get_file_size(),
            }
        )
    depictions = []
    for item in page.images.select_related("image"):
        image = item.image
        depictions.append(
            {
                "dct:title": image.title,
                "dcat:downloadURL": file_url(image, base_url),
                "dcat:mediaType": _media_type(image.file.name),
                "dcat:byteSize": image.get_file_size(),
                "schema:description": item.alt_text,
                "schema:caption": item.caption,
            }
        )
    return {
        "@type": TYPE_ASSET,
        "interlink:kind": KIND_ASSET,
        "dct:type": page.form,
        "dct:license": licence_uri(page.licence),
        "dct:language": [language_uri(code) for code in page.languages or []],
        "adms:status": page.maturity,
        "owl:versionInfo": page.version,
        "dct:source": page.source_url or None,
        "dcat:distribution": distributions,
        "foaf:depiction": depictions,
        "interlink:difficulty": page.difficulty,
        "interlink:administrativeScope": page.administrative_scope,
        "interlink:targetUsers": list(page.target_users or []),
    }


def _call_terms(page) -> dict:
    return {
        "@type": TYPE_CALL,
        "interlink:kind": KIND_CALL,
        # A call has no licence field: its text is shared under the node's default
        # for calls, which lets other administrations adapt it as a template.
        "dct:license": licence_uri(CALL_LICENCE),
        "adms:status": page.status,
        "interlink:phase": page.phase,
        "cv:hasParticipation": [
            {"@type": "cv:Participation", "cv:role": role} for role in page.participant_types or []
        ],
        "interlink:opensAt": _iso(page.opens_at),
        "interlink:deadline": _iso(page.deadline),
        "dct:spatial": page.place or None,
        "cv:hasContactPoint": {
            "schema:name": page.contact_name,
            "schema:email": page.contact_email,
            "schema:telephone": page.contact_phone,
        },
        "interlink:howToContribute": page.how_to_contribute,
        "interlink:coproductionSchema": page.coproduction_schema.get_prep_value(),
        "cv:isGroupedBy": [
            {"interlink:slug": e.slug, "foaf:name": e.name} for e in page.life_events.all()
        ],
        "interlink:governanceModel": page.governance_model.slug if page.governance_model else None,
    }


# --- metadata → page fields ------------------------------------------------------


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
    distributions = []
    for item in data.get("dcat:distribution") or []:
        if isinstance(item, dict) and "dcat:downloadURL" not in item:
            item = {**item, "dcat:downloadURL": item.get("dcat:accessURL")}
        distributions.append(item)
    data["dcat:distribution"] = distributions
    if "cv:sector" not in data:
        names = data.get("dcat:keyword") or []
        data["interlink:sectorNames"] = [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
    return data
