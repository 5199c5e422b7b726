"""Page → metadata: a call or asset as ADMS-AP / DCAT / CPSV-AP terms."""

from __future__ import annotations

from typing import Any

from .stream import exported_body
from .terms import (
    CALL_LICENCE,
    KIND_ASSET,
    KIND_CALL,
    TYPE_ASSET,
    TYPE_CALL,
    MetadataError,
    _iso,
    _media_type,
    extra_terms,
    file_url,
    language_uri,
    licence_uri,
)


def page_metadata(page, *, base_url: str | None = None, publisher: str | None = None) -> dict:
    """A call or asset page as a dict of ADMS-AP / DCAT / CPSV-AP terms.

    ``base_url`` makes file and page URLs absolute (default: the page's site root URL);
    ``publisher`` names the administration (default: the asset's publisher field, else
    the site name).
    """
    from ..models import AssetPage, CallPage

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
        "interlink:body": exported_body(page, base_url),
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
