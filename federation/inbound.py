"""Inbound ActivityStreams: remote objects → federated catalogue fields (pure, sanitising).

Remote HTML goes through the one sanitiser policy (``interlink_blocks.sanitise``); text
fields become plain text the same way. Structured fields come from our extension
context's terms (see ``serialisers``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from interlink_blocks.sanitise import clean_html, plain_text

STRUCTURED_TERMS = [
    "interlink:kind", "interlink:phase", "interlink:opensAt", "interlink:deadline",
    "interlink:maturity", "interlink:participantType", "adms:status", "interlink:status",
    "interlink:assetForm", "owl:versionInfo", "dct:type", "dct:language", "dct:license",
    "dct:publisher",
    "dct:source", "dcat:keyword", "dcat:distribution", "cv:hasParticipation",
    "dct:identifier", "dct:issued", "dct:modified", "cv:sector", "dct:spatial",
    "interlink:difficulty", "interlink:administrativeScope", "interlink:targetUsers",
    # A call's life events and governance model (discovery facets).
    "cv:isGroupedBy", "interlink:governanceModel",
]  # fmt: skip
KINDS = {"call", "asset"}


def _http_url(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("href") or value.get("id") or ""
    value = str(value or "")
    return value[:500] if value.startswith(("http://", "https://")) else ""


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def _date(value: str) -> date | None:
    try:
        return parse_date(value)
    except ValueError:
        return None


def _clean_structure(value: Any, depth: int = 0) -> Any:
    """Structured values keep only JSON scalars, lists and dicts, with strings stripped of tags."""
    if depth > 4:
        return None
    if isinstance(value, str):
        return plain_text(value, 2000)
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, list):
        return [_clean_structure(item, depth + 1) for item in value[:50]]
    if isinstance(value, dict):
        return {
            str(key)[:100]: _clean_structure(item, depth + 1)
            for key, item in list(value.items())[:50]
        }
    return None


ADMS_STATUS = "http://purl.org/adms/status/"
DCMI_TYPE = "http://purl.org/dc/dcmitype/"


def to_local_vocabulary(obj: dict[str, Any]) -> dict[str, Any]:
    """The object with our codes where it carries vocabulary IRIs (see ``serialisers``):
    ``adms:status`` from ``interlink:status`` (calls) or ``interlink:maturity`` (assets),
    ``dct:type`` from ``interlink:assetForm``. An IRI without our code is left out (the
    reuse workflow then uses its default) rather than stored where a code is expected.

    >>> to_local_vocabulary({"interlink:kind": "asset",
    ...     "adms:status": "http://purl.org/adms/status/Completed",
    ...     "interlink:maturity": "tested"})["adms:status"]
    'tested'
    """
    local = dict(obj)
    code_term = "interlink:status" if obj.get("interlink:kind") == "call" else "interlink:maturity"
    for term, prefix, code in (
        ("adms:status", ADMS_STATUS, local.get(code_term)),
        ("dct:type", DCMI_TYPE, local.get("interlink:assetForm")),
    ):
        value = local.get(term)
        if isinstance(value, dict):
            value = value.get("id") or value.get("@id")
        if isinstance(value, str) and value.startswith(prefix):
            if isinstance(code, str) and code:
                local[term] = code
            else:
                local.pop(term)
    return local


def kind_of(obj: dict[str, Any]) -> str:
    kind = obj.get("interlink:kind")
    return kind if kind in KINDS else "other"


def object_to_fields(obj: dict[str, Any]) -> dict[str, Any]:
    """The catalogue row's fields for a remote AS object (without ``uri`` and ``actor``)."""
    content_map = obj.get("contentMap") if isinstance(obj.get("contentMap"), dict) else {}
    language = next(iter(content_map), "") if content_map else ""
    content = obj.get("content") or (content_map.get(language) if content_map else "")
    tags = [
        plain_text(tag.get("name"), 100)
        for tag in obj.get("tag") or []
        if isinstance(tag, dict) and tag.get("type") == "Hashtag"
    ]
    structured = {term: _clean_structure(obj[term]) for term in STRUCTURED_TERMS if term in obj}
    for term in ("interlink:deadline", "interlink:opensAt"):
        if isinstance(structured.get(term), str) and _date(structured[term]) is None:
            structured.pop(term)  # not a date, or no such day ("2027-02-30")
    return {
        "kind": kind_of(obj),
        "ap_type": plain_text(obj.get("type"), 64),
        "name": plain_text(obj.get("name"), 500),
        "summary": plain_text(obj.get("summary"), 5000),
        "content_html": clean_html(content),
        "url": _http_url(obj.get("url")),
        "language": plain_text(language, 16),
        "tags": [tag for tag in tags if tag],
        "fields": structured,
        "published": _datetime(obj.get("published")),
        "updated": _datetime(obj.get("updated")) or _datetime(obj.get("published")),
    }
