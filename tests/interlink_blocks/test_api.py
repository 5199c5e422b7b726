"""The read APIs: Wagtail API v2 endpoints and the filtered DRF API with its OpenAPI schema."""

import pytest
import yaml
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema
from wagtail.models import PageViewRestriction

from interlink_blocks.models import StoryPage


@pytest.fixture
def catalogue(make_call, make_asset, story_index):
    """Two live calls, a never-published call, a private call, three assets and a story."""
    open_call = make_call(title="Home care", slug="home-care", sectors=["social-health-care"])
    done = make_call(
        title="Library learning spaces",
        slug="libraries",
        status="completed",
        phase="sustain",
        sectors=["education"],
    )
    make_call(title="Unpublished idea", slug="idea", publish=False)
    private = make_call(title="Staff-only pilot", slug="staff-only", sectors=["education"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    blueprint = make_asset(sectors=["social-health-care"], related_calls=[])
    blueprint.related_calls.set([open_call])
    blueprint.save_revision().publish()
    make_asset(title="Occupancy data", slug="occupancy", form="dataset", licence="ODbL-1.0")
    make_asset(title="Draft canvas", slug="draft-canvas", form="canvas", publish=False)
    story = story_index.add_child(
        instance=StoryPage(title="Quiet rooms", summary="Pupils found a place to study.", call=done)
    )
    story.produced_assets = [blueprint]
    story.save_revision().publish()
    return {"open": open_call, "done": done, "private": private, "blueprint": blueprint}


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    data = response.json()
    items = data["items"] if "items" in data else data["results"]
    return {item["title"] for item in items}


def test_wagtail_api_lists_calls_with_structured_fields(client, catalogue):
    """Ensures that /api/v2/calls/ lists live public calls with status, phase, sectors and schema."""
    response = client.get("/api/v2/calls/", {"fields": "*"})
    assert titles(response) == {"Home care", "Library learning spaces"}
    call = next(item for item in response.json()["items"] if item["title"] == "Home care")
    assert call["status"] == "open" and call["phase"] == "design"
    assert call["uuid"] == str(catalogue["open"].uuid)
    assert call["sectors"] == [{"slug": "social-health-care", "name": "Social and health care"}]
    assert call["participant_types"] == ["citizens", "non_profits"]
    assert call["accepts_contributions"] is True
    phases = [block["value"]["phase"] for block in call["coproduction_schema"]]
    assert phases == ["engage", "design", "build", "sustain"]
    assert call["coproduction_schema"][1]["value"]["phase_label"] == "Design"


def test_wagtail_api_lists_assets_and_stories(client, catalogue):
    """Ensures that /api/v2/assets/ and /api/v2/stories/ expose licences, forms and story links."""
    response = client.get("/api/v2/assets/", {"fields": "*"})
    assert titles(response) == {"Home-care service blueprint", "Occupancy data"}
    asset = next(item for item in response.json()["items"] if item["form"] == "dataset")
    assert asset["licence"]["spdx_id"] == "ODbL-1.0"
    assert asset["licence"]["allows_reuse"] is True
    assert asset["languages"] == ["en", "es"]
    response = client.get("/api/v2/stories/", {"fields": "*"})
    assert titles(response) == {"Quiet rooms"}
    story = response.json()["items"][0]
    assert story["call"]["id"] == catalogue["done"].pk
    assert [item["id"] for item in story["produced_assets"]] == [catalogue["blueprint"].pk]


def test_wagtail_api_detail_and_drafts(client, catalogue):
    """Ensures that a call's detail shows its live version: unpublished edits and private pages stay hidden."""
    call = catalogue["open"]
    call.title = "A draft title"
    call.save_revision()
    detail = client.get(f"/api/v2/calls/{call.pk}/")
    assert detail.status_code == 200
    assert detail.json()["title"] == "Home care"
    assert client.get(f"/api/v2/calls/{catalogue['private'].pk}/").status_code == 404
    assert "Staff-only pilot" not in titles(client.get("/api/v2/pages/", {"limit": 20}))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"Home care", "Library learning spaces"}),
        ({"status": "open"}, {"Home care"}),
        ({"status": "completed"}, {"Library learning spaces"}),
        ({"phase": "sustain"}, {"Library learning spaces"}),
        ({"sector": "social-health-care"}, {"Home care"}),
        ({"sector": "education", "status": "completed"}, {"Library learning spaces"}),
        ({"sector": "employment"}, set()),
        ({"participant": "businesses"}, set()),
    ],
)
def test_rest_api_filters_calls(client, catalogue, query, expected):
    """Ensures that /api/v1/calls/ filters by status, phase and sector, and hides drafts and private calls."""
    assert titles(client.get("/api/v1/calls/", query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"Home-care service blueprint", "Occupancy data"}),
        ({"form": "dataset"}, {"Occupancy data"}),
        ({"licence": "CC-BY-4.0"}, {"Home-care service blueprint"}),
        ({"form": "canvas"}, set()),  # the only canvas is a draft
        ({"sector": "social-health-care", "licence": "ODbL-1.0"}, set()),
    ],
)
def test_rest_api_filters_assets(client, catalogue, query, expected):
    """Ensures that /api/v1/assets/ filters by form and licence, and hides drafts."""
    assert titles(client.get("/api/v1/assets/", query)) == expected


def test_rest_api_detail_by_uuid_and_structured_fields(client, catalogue):
    """Ensures that a call and an asset are found by their stable UUID with their structured fields."""
    call = client.get(f"/api/v1/calls/{catalogue['open'].uuid}/").json()
    assert call["sectors"][0]["slug"] == "social-health-care"
    assert call["url"].endswith("/calls/home-care/")
    asset = client.get(f"/api/v1/assets/{catalogue['blueprint'].uuid}/").json()
    assert asset["licence"]["name"] == "Creative Commons Attribution 4.0"
    assert asset["related_calls"] == [catalogue["open"].pk]
    assert client.get(f"/api/v1/calls/{catalogue['private'].uuid}/").status_code == 404


def test_rest_api_refuses_unknown_filter_values(client, catalogue):
    """Ensures that an unknown status or licence is a 400 with the field's error, not an empty list."""
    response = client.get("/api/v1/calls/", {"status": "maybe"})
    assert response.status_code == 400
    assert "status" in response.json()
    assert client.get("/api/v1/assets/", {"licence": "WTFPL"}).status_code == 400


def test_rest_api_is_read_only(client, catalogue, admin_user):
    """Ensures that the DRF API refuses writes, even from a logged-in administrator."""
    client.force_login(admin_user)
    assert client.post("/api/v1/calls/", {"title": "x"}).status_code == 405
    uuid = catalogue["open"].uuid
    assert client.delete(f"/api/v1/calls/{uuid}/").status_code == 405


def test_openapi_schema_is_valid_and_lists_the_filters(client, db):
    """Ensures that /api/schema/ serves a valid OpenAPI 3 document, generated without warnings."""
    GENERATOR_STATS.reset()
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert not GENERATOR_STATS, "drf-spectacular reported warnings or errors"
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert {"/api/v1/calls/", "/api/v1/assets/", "/api/v1/stories/"} <= set(paths)
    call_params = {p["name"] for p in paths["/api/v1/calls/"]["get"]["parameters"]}
    assert {"status", "phase", "sector", "limit", "offset"} <= call_params
    asset_params = {p["name"] for p in paths["/api/v1/assets/"]["get"]["parameters"]}
    assert {"form", "licence", "sector"} <= asset_params
    licence = schema["components"]["schemas"]["Asset"]["properties"]["licence"]
    assert "$ref" in licence or licence.get("allOf")  # described, not "string"
