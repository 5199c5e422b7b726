"""Extra metadata terms for a reused page: where it comes from, all the way up.

Registered with ``interlink_blocks.metadata`` so every export of a reused page
(ActivityStreams objects, packages) names its origin without the core importing us.
"""

from ..metadata import licence_uri
from .models import Provenance


def origin_entry(provenance: Provenance) -> dict:
    """The origin as one lineage entry (newest origin first in ``interlink:lineage``)."""
    return {
        "dct:identifier": provenance.origin_identifier,
        "@id": provenance.origin_object_id or None,
        "dcat:landingPage": provenance.origin_url or None,
        "dct:publisher": {
            "foaf:name": provenance.origin_name,
            "@id": provenance.origin_actor_url or None,
        },
        "dct:license": licence_uri(provenance.licence),
    }


def lineage_terms(page) -> dict:
    provenance = Provenance.objects.filter(page_id=page.pk).first()
    if provenance is None:
        return {}
    origin = provenance.origin_object_id or provenance.origin_url or provenance.origin_identifier
    return {
        "prov:wasDerivedFrom": origin,
        "dct:isVersionOf": origin,
        "interlink:lineage": [origin_entry(provenance), *provenance.lineage],
    }


def origin_actor_url(page) -> str | None:
    """The actor to address when publishing a reused page, so the origin counts the reuse."""
    provenance = Provenance.objects.filter(page_id=page.pk).first()
    return (provenance.origin_actor_url or None) if provenance else None
