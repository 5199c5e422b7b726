"""The read APIs: Wagtail API v2 endpoints and the filtered DRF API with its OpenAPI schema."""

import io

import pytest
import yaml
from django.core.files.images import ImageFile
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from interlink_blocks.models import AssetImage, LifeEvent, StoryPage


@pytest.fixture
def photo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "#336699").save(buffer, format="PNG")
    image = get_image_model()(title="IMG_0042", file=ImageFile(buffer, name="workshop.png"))
    image.save()
    return image


@pytest.fixture
def catalogue(make_call, make_asset, story_index, photo):
    """Two live calls, a never-published call, a private call, three assets and a story.

    The blueprint links the open call and the unpublished one, has an image with alt text
    and rich text with internal links in its body; the story links the completed call,
    the blueprint and the draft canvas.
    """
    open_call = make_call(title="Home care", slug="home-care", sectors=["social-health-care"])
    done = make_call(
        title="Library learning spaces",
        slug="libraries",
        summary="Turn quiet library corners into places where pupils study after school.",
        status="completed",
        phase="sustain",
        sectors=["education"],
        participant_types=["businesses", "civil_servants"],
    )
    done.life_events.set(LifeEvent.objects.filter(slug="starting-school"))
    done.save_revision().publish()
    idea = make_call(title="Unpublished idea", slug="idea", publish=False)
    open_call.life_events.set(LifeEvent.objects.filter(slug="falling-ill"))
    open_call.contact_phone = "+39 0555 0100"
    open_call.how_to_contribute = (
        f'<p>See how <a linktype="page" id="{done.pk}">the library call</a> went.</p>'
    )
    open_call.save_revision().publish()
    private = make_call(title="Staff-only pilot", slug="staff-only", sectors=["education"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    blueprint = make_asset(sectors=["social-health-care"], related_calls=[])
    blueprint.related_calls.set([open_call, idea, private])
    blueprint.images = [
        AssetImage(image=photo, alt_text="Residents around a map", caption="Kick-off")
    ]
    blueprint.body = [
        {
            "type": "paragraph",
            "value": f'<p>Made in <a linktype="page" id="{open_call.pk}">a call</a>.</p>',
        },
        {
            "type": "faq",
            "value": {
                "heading": "Questions",
                "questions": [
                    {
                        "question": "Who made it?",
                        "answer": f'<p>The <a linktype="page" id="{done.pk}">library team</a>.</p>',
                    }
                ],
            },
        },
    ]
    blueprint.save_revision().publish()
    make_asset(title="Occupancy data", slug="occupancy", form="dataset", licence="ODbL-1.0")
    canvas = make_asset(title="Draft canvas", slug="draft-canvas", form="canvas", publish=False)
    story = story_index.add_child(
        instance=StoryPage(title="Quiet rooms", summary="Pupils found a place to study.", call=done)
    )
    story.produced_assets = [blueprint, canvas]
    story.save_revision().publish()
    return {
        "open": open_call,
        "done": done,
        "idea": idea,
        "private": private,
        "blueprint": blueprint,
        "story": story,
    }


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
    assert call["sectors"] == [
        {
            "slug": "social-health-care",
            "name": "Social and health care",
            "label": "Social and health care",
        }
    ]
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


def test_wagtail_api_asset_has_live_related_calls_and_images_with_alt_text(client, catalogue):
    """Ensures that /api/v2/assets/ gives an asset's live, public related calls and its images."""
    blueprint = catalogue["blueprint"]
    asset = client.get(f"/api/v2/assets/{blueprint.pk}/").json()
    open_call = catalogue["open"]
    # Neither the unpublished nor the private call is shown.
    assert asset["related_calls"] == [
        {
            "id": open_call.pk,
            "uuid": str(open_call.uuid),
            "title": "Home care",
            "url": open_call.full_url,
            "api_url": f"http://testserver/api/v1/calls/{open_call.uuid}/",
        }
    ]
    [image] = asset["images"]
    assert image["alt"] == "Residents around a map" and image["caption"] == "Kick-off"
    assert image["title"] == "IMG_0042" and (image["width"], image["height"]) == (40, 30)
    assert image["url"].startswith("http://testserver/") and image["url"].endswith(".png")
    followed = client.get(asset["related_calls"][0]["api_url"])
    assert followed.status_code == 200 and followed.json()["uuid"] == str(open_call.uuid)


def test_both_apis_give_the_contact_phone_and_rich_text_as_html(client, catalogue):
    """Ensures that contact_phone is in both APIs and rich text comes with its links expanded."""
    open_call, done = catalogue["open"], catalogue["done"]
    v2 = client.get(f"/api/v2/calls/{open_call.pk}/").json()
    v1 = client.get(f"/api/v1/calls/{open_call.uuid}/").json()
    expanded = '<p>See how <a href="/calls/libraries/">the library call</a> went.</p>'
    for call in (v2, v1):
        assert call["contact_phone"] == "+39 0555 0100"
        assert call["how_to_contribute"] == expanded

    body = client.get(f"/api/v2/assets/{catalogue['blueprint'].pk}/").json()["body"]
    by_type = {block["type"]: block["value"] for block in body}
    assert by_type["paragraph"] == '<p>Made in <a href="/calls/home-care/">a call</a>.</p>'
    answer = by_type["faq"]["questions"][0]["answer"]
    assert answer == '<p>The <a href="/calls/libraries/">library team</a>.</p>'
    assert done.url == "/calls/libraries/"
    assert "linktype" not in str(body) + str(v2) + str(v1)


def test_rest_api_story_links_can_be_followed_by_uuid(client, catalogue):
    """Ensures that a DRF story gives its call and live assets as UUIDs and URLs a client can follow."""
    story = client.get(f"/api/v1/stories/{catalogue['story'].uuid}/").json()
    done, blueprint = catalogue["done"], catalogue["blueprint"]
    assert story["call"]["uuid"] == str(done.uuid)
    assert story["call"]["url"] == done.full_url and done.full_url.endswith("/calls/libraries/")
    assert client.get(story["call"]["api_url"]).json()["title"] == "Library learning spaces"
    # The draft canvas the story also links is left out.
    assert [asset["uuid"] for asset in story["produced_assets"]] == [str(blueprint.uuid)]
    followed = client.get(story["produced_assets"][0]["api_url"]).json()
    assert followed["uuid"] == str(blueprint.uuid) and followed["title"] == blueprint.title
    listing = client.get("/api/v1/stories/").json()["results"]
    assert listing[0]["call"]["uuid"] == str(done.uuid)

    done.unpublish()
    story = client.get(f"/api/v1/stories/{catalogue['story'].uuid}/").json()
    assert story["call"] is None
    v2 = client.get(f"/api/v2/stories/{catalogue['story'].pk}/").json()
    assert v2["call"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"sector": "education"}, {"Quiet rooms"}),
        ({"sector": "social-health-care"}, {"Quiet rooms"}),  # through its produced asset
        ({"sector": "employment"}, set()),
        ({"q": "pupils"}, {"Quiet rooms"}),
    ],
)
def test_rest_api_filters_stories(client, catalogue, query, expected):
    """Ensures that /api/v1/stories/ filters by the sector of the story's call or assets and words."""
    assert titles(client.get("/api/v1/stories/", query)) == expected


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
        ({"participant": "citizens"}, {"Home care"}),
        ({"participant": "non_profits"}, {"Home care"}),
        ({"participant": "businesses"}, {"Library learning spaces"}),
        ({"participant": "civil_servants", "phase": "sustain"}, {"Library learning spaces"}),
        ({"participant": "businesses", "status": "open"}, set()),
        ({"life_event": "falling-ill"}, {"Home care"}),
        ({"life_event": "starting-school"}, {"Library learning spaces"}),
        ({"life_event": "moving-house"}, set()),
        ({"q": "library"}, {"Library learning spaces"}),  # in the title
        ({"q": "older residents"}, {"Home care"}),  # in the summary
        ({"q": "HOME CARE"}, {"Home care"}),  # any case
        ({"q": "staff-only"}, set()),  # the private call stays hidden
    ],
)
def test_rest_api_filters_calls(client, catalogue, query, expected):
    """Ensures that /api/v1/calls/ filters by status, phase, sector, who may take part, life event
    and words, and hides drafts and private calls."""
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


def test_taxonomies_are_labelled_in_the_requests_language(client, catalogue):
    """Ensures that both APIs give each sector its stored name and, as ``label``, the name in
    the language the request asks for."""
    from django.utils import translation

    with translation.override("es"):
        spanish = translation.gettext("Social and health care")
    assert spanish != "Social and health care"
    headers = {"HTTP_ACCEPT_LANGUAGE": "es"}
    rest = client.get(f"/api/v1/calls/{catalogue['open'].uuid}/", **headers).json()
    wagtail = client.get(f"/api/v2/pages/{catalogue['open'].pk}/", **headers).json()
    for sector in (rest["sectors"][0], wagtail["sectors"][0]):
        assert sector["name"] == "Social and health care"
        assert sector["label"] == spanish


def test_rest_api_detail_by_uuid_and_structured_fields(client, catalogue):
    """Ensures that a call and an asset are found by their stable UUID with their structured fields."""
    call = client.get(f"/api/v1/calls/{catalogue['open'].uuid}/").json()
    assert call["sectors"][0]["slug"] == "social-health-care"
    assert call["url"].endswith("/calls/home-care/")
    asset = client.get(f"/api/v1/assets/{catalogue['blueprint'].uuid}/").json()
    assert asset["licence"]["name"] == "Creative Commons Attribution 4.0"
    assert [call["uuid"] for call in asset["related_calls"]] == [str(catalogue["open"].uuid)]
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
    story_params = {p["name"] for p in paths["/api/v1/stories/"]["get"]["parameters"]}
    assert {"sector", "life_event", "year", "q"} <= story_params
    components = schema["components"]["schemas"]
    link = "#/components/schemas/PageLink"
    assert {"uuid", "url", "api_url"} <= set(components["PageLink"]["properties"])
    assert components["Story"]["properties"]["call"]["allOf"] == [{"$ref": link}]
    assert components["Story"]["properties"]["call"]["nullable"] is True
    assert components["Story"]["properties"]["produced_assets"]["items"] == {"$ref": link}
    assert components["Asset"]["properties"]["related_calls"]["items"] == {"$ref": link}
    assert "alt" in components["AssetImage"]["properties"]
    assert {"contact_phone", "how_to_contribute"} <= set(components["Call"]["properties"])
