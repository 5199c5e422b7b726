"""ADMS-AP / DCAT / CPSV-AP metadata of calls and assets, and its reverse."""

import json

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from interlink_blocks.metadata import (
    JSONLD_CONTEXT,
    MetadataError,
    licence_from_uri,
    metadata_licence,
    metadata_to_page_fields,
    page_metadata,
)
from interlink_blocks.models import AssetDocument, AssetImage, GovernanceModel


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def asset_with_files(make_asset):
    asset = make_asset(
        publisher="City of Example",
        version="2.1",
        maturity="tested",
        target_users=["citizens"],
        sectors=["social-health-care"],
        body=[
            {"type": "heading", "value": {"text": "How it works", "level": "h2"}},
            {"type": "paragraph", "value": '<p>See <a href="https://example.org/x">this</a>.</p>'},
        ],
    )
    document = get_document_model().objects.create(
        title="Blueprint (PDF)", file=ContentFile(b"%PDF-1.4 blueprint", name="blueprint.pdf")
    )
    image = get_image_model().objects.create(title="Journey map", file=get_test_image_file())
    AssetDocument.objects.create(page=asset, document=document)
    AssetImage.objects.create(page=asset, image=image, alt_text="A journey map", caption="Map")
    asset.save_revision().publish()
    return asset


def test_asset_metadata_terms(asset_with_files):
    """Ensures that an asset maps to ADMS-AP/DCAT terms with absolute download URLs."""
    data = page_metadata(asset_with_files)
    assert data["@type"] == "adms:Asset"
    assert data["dct:identifier"] == f"urn:uuid:{asset_with_files.uuid}"
    assert data["dct:title"] == "Home-care service blueprint"
    assert data["dct:license"] == "http://spdx.org/licenses/CC-BY-4.0"
    assert data["dct:type"] == "service_blueprint"
    assert data["adms:status"] == "tested"
    assert data["owl:versionInfo"] == "2.1"
    assert data["dct:publisher"] == {"foaf:name": "City of Example"}
    assert data["dct:language"] == [
        "http://publications.europa.eu/resource/authority/language/ENG",
        "http://publications.europa.eu/resource/authority/language/SPA",
    ]
    [distribution] = data["dcat:distribution"]
    assert distribution["dct:title"] == "Blueprint (PDF)"
    assert distribution["dcat:downloadURL"].startswith("http://localhost")
    assert distribution["dcat:downloadURL"].endswith("blueprint.pdf")
    assert distribution["dcat:mediaType"] == "application/pdf"
    assert distribution["dcat:byteSize"] == len(b"%PDF-1.4 blueprint")
    [depiction] = data["foaf:depiction"]
    assert depiction["schema:description"] == "A journey map"
    assert depiction["dcat:mediaType"] == "image/png"
    assert data["dcat:keyword"] == ["Social and health care"]
    assert data["dct:modified"]
    # Everything is JSON, so it can go into an activity or a manifest as is.
    json.dumps(data)


def test_every_prefix_is_defined_in_the_context(asset_with_files, make_call):
    """Ensures that every compact IRI the metadata uses has its prefix in JSONLD_CONTEXT."""
    keys = set(page_metadata(asset_with_files)) | set(page_metadata(make_call()))
    prefixes = {key.split(":", 1)[0] for key in keys if ":" in key}
    assert prefixes <= set(JSONLD_CONTEXT)


def test_body_is_portable(asset_with_files):
    """Ensures that the exported body is front-end HTML with no node-local ids."""
    body = page_metadata(asset_with_files)["interlink:body"]
    assert [block["type"] for block in body] == ["heading", "paragraph"]
    assert "linktype" not in body[1]["value"]
    assert 'href="https://example.org/x"' in body[1]["value"]


def test_asset_round_trip(asset_with_files):
    """Ensures that metadata_to_page_fields gives back the asset's field values."""
    fields = metadata_to_page_fields(page_metadata(asset_with_files))
    page = asset_with_files
    for name in ("title", "summary", "form", "licence", "languages", "maturity", "version"):
        assert fields[name] == getattr(page, name), name
    assert fields["target_users"] == ["citizens"]
    assert fields["publisher"] == "City of Example"
    assert fields["sectors"] == ["social-health-care"]
    assert fields["distributions"][0]["dct:title"] == "Blueprint (PDF)"
    assert fields["depictions"][0]["schema:description"] == "A journey map"


def test_call_metadata_round_trip(make_call):
    """Ensures that a call maps to CPSV-AP terms with participation roles, and back."""
    governance = GovernanceModel.objects.first()
    call = make_call(
        place="Northern district",
        contact_name="Ana",
        contact_email="ana@example.org",
        governance_model=governance,
        how_to_contribute="<p>Write to us.</p>",
    )
    data = page_metadata(call)
    assert data["@type"] == "cpsv:PublicService"
    assert data["cv:hasParticipation"] == [
        {"@type": "cv:Participation", "cv:role": "citizens"},
        {"@type": "cv:Participation", "cv:role": "non_profits"},
    ]
    assert data["cv:hasContactPoint"]["schema:email"] == "ana@example.org"
    assert data["interlink:phase"] == "design"
    fields = metadata_to_page_fields(data)
    for name in ("title", "summary", "status", "phase", "participant_types", "opens_at",
                 "deadline", "place", "contact_name", "contact_email", "how_to_contribute"):  # fmt: skip
        assert fields[name] == getattr(call, name), name
    assert fields["governance_model"] == (governance.slug if governance else None)
    assert fields["coproduction_schema"] == call.coproduction_schema.get_prep_value()


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"dct:title": 42}, "dct:title must be text"),
        ({"dct:title": ""}, "dct:title is required"),
        ({"dct:license": "http://spdx.org/licenses/WTFPL"}, "unknown licence"),
        ({"dct:type": "spaceship"}, "dct:type: unknown value"),
        ({"dct:language": "en"}, "dct:language must be a list of text"),
        ({"dcat:distribution": [{"dct:title": "x"}]}, "dcat:downloadURL"),
        (
            {"dcat:distribution": [{"dcat:downloadURL": "http://x/", "dcat:byteSize": -1}]},
            "dcat:byteSize",
        ),  # fmt: skip
        ({"interlink:kind": "spell", "@type": "Note"}, "neither an asset nor a call"),
        ({"interlink:body": "<script>"}, "interlink:body must be a list"),
    ],
)
def test_bad_metadata_is_refused(asset_with_files, patch, message):
    """Ensures that wrong types and unknown values raise MetadataError with a clear reason."""
    data = {**page_metadata(asset_with_files), **patch}
    with pytest.raises(MetadataError, match=message):
        metadata_to_page_fields(data)


def test_licence_lookup():
    """Ensures that licences are found by SPDX URI, bare id or licence URL, and refused otherwise."""
    assert licence_from_uri("https://spdx.org/licenses/CC0-1.0.html").spdx_id == "CC0-1.0"
    assert licence_from_uri("EUPL-1.2").spdx_id == "EUPL-1.2"
    assert licence_from_uri("https://creativecommons.org/licenses/by-nd/4.0/").spdx_id == (
        "CC-BY-ND-4.0"
    )
    assert licence_from_uri("http://spdx.org/licenses/Beerware") is None
    with pytest.raises(MetadataError, match="no licence"):
        metadata_licence({})


def test_activity_object_with_malformed_distribution_is_refused():
    """Ensures that a ``dcat:distribution`` that is neither a list nor an object raises
    MetadataError (a clear reason), not a TypeError."""
    from interlink_blocks.metadata.reverse import from_activity_object

    with pytest.raises(MetadataError, match="dcat:distribution"):
        from_activity_object({"type": "Document", "name": "Guide", "dcat:distribution": 7})
    single = {"dcat:downloadURL": "http://127.0.0.1:9/files/guide.pdf"}
    data = from_activity_object({"type": "Document", "dcat:distribution": single})
    assert data["dcat:distribution"] == [single]
