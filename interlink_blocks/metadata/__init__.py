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

from .export import page_metadata
from .reverse import (
    from_activity_object,
    metadata_identifier,
    metadata_kind,
    metadata_licence,
    metadata_to_page_fields,
)
from .stream import exported_body, walk_stream
from .terms import (
    CALL_LICENCE,
    EU_LANGUAGE_NS,
    INTERLINK_NS,
    JSONLD_CONTEXT,
    KIND_ASSET,
    KIND_CALL,
    SPDX_NS,
    TYPE_ASSET,
    TYPE_CALL,
    MetadataError,
    extra_terms,
    file_url,
    language_code,
    language_uri,
    licence_from_uri,
    licence_uri,
    register_term_provider,
)

__all__ = [
    "CALL_LICENCE",
    "EU_LANGUAGE_NS",
    "INTERLINK_NS",
    "JSONLD_CONTEXT",
    "KIND_ASSET",
    "KIND_CALL",
    "SPDX_NS",
    "TYPE_ASSET",
    "TYPE_CALL",
    "MetadataError",
    "exported_body",
    "extra_terms",
    "file_url",
    "from_activity_object",
    "language_code",
    "language_uri",
    "licence_from_uri",
    "licence_uri",
    "metadata_identifier",
    "metadata_kind",
    "metadata_licence",
    "metadata_to_page_fields",
    "page_metadata",
    "register_term_provider",
    "walk_stream",
]
