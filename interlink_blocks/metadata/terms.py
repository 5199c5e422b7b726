"""Vocabulary of the metadata: namespaces, the JSON-LD context, licences and languages."""

from __future__ import annotations

import datetime
import mimetypes
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from ..choices import LICENCES, Licence

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
