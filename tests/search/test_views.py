"""The discovery page, its suggestion endpoint, the DRF endpoint and related items."""

import re

import pytest

from interlink_search.views import query_string


@pytest.fixture
def catalogue(publish_call, publish_asset):
    calls = [
        publish_call(title=f"Night bus call {n}", sectors=["mobility"], phase="engage")
        for n in range(3)
    ]
    asset = publish_asset(title="Night bus survey template", sectors=["mobility"], languages=["en"])
    other = publish_asset(title="Library workshop guide", sectors=["culture-leisure"])
    toolkit = publish_asset(title="Cycling lanes toolkit", sectors=["mobility"])
    return {"calls": calls, "asset": asset, "other": other, "toolkit": toolkit}


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


def test_discover_page_works_without_javascript(backend, catalogue, client):
    """Ensures that the page is a plain GET form with a labelled search box, a datalist
    of suggestions, highlighted results, facet links with counts, and a live count."""
    html = _html(client.get("/discover/", {"q": "night"}))
    assert re.search(r'<form[^>]*role="search"[^>]*method="get"', html)
    assert '<label for="discover-q">' in html
    assert 'list="discover-suggestions"' in html
    assert '<option value="Night bus survey template">' in html
    assert "<mark>Night</mark>" in html
    assert 'role="status"' in html and "4 results" in html
    assert re.search(
        r'href="\?q=night&amp;kind=asset"[^>]*>Reusable asset <span class="il-count" aria-hidden="true">\(1\)</span>'
        r'<span class="visually-hidden">, 1 result</span>',
        html,
    )
    for label in ("Sector", "Phase", "Who may take part", "Local or federated", "Language"):
        assert f">{label}</h3>" in html


def test_facet_link_filters_and_can_be_removed(backend, catalogue, client):
    """Ensures that following a facet link filters the results and marks the facet as
    selected, with a link that removes it again."""
    html = _html(client.get("/discover/", {"q": "night", "kind": "asset"}))
    assert "1 result" in html
    assert 'aria-current="true" class="is-selected"' in html
    assert 'href="?q=night"' in html  # toggling the selected value off


def test_deep_pagination_uses_cursors(backend, catalogue, client):
    """Ensures that "next results" links carry a search_after cursor (no offset) and that
    walking them visits every result exactly once."""
    seen, url, params = [], "/discover/", {"sort": "deadline", "size": "2"}
    for _ in range(5):
        html = _html(client.get(url, params))
        seen += re.findall(r'<li class="il-hit">\s*<h3><a href="([^"]+)"', html)
        match = re.search(r'<a href="\?([^"]+)" rel="next">', html)
        if not match:
            break
        assert "after=" in match.group(1) and "offset" not in match.group(1)
        url, params = "/discover/?" + match.group(1).replace("&amp;", "&"), None
    assert len(seen) == 6 and len(set(seen)) == 6


def test_no_results_offers_relaxed_searches(backend, catalogue, client):
    """Ensures that an empty result explains how to widen the search, with counts."""
    html = _html(client.get("/discover/", {"q": "night", "sector": "culture-leisure"}))
    assert "No results" in html
    assert "Remove the “Sector” filter" in html
    assert "Keep the words, remove every filter" in html
    assert "(4 results)" in html


def test_bad_cursor_is_a_clear_400(backend, catalogue, client):
    """Ensures that a tampered cursor gives a 400 with a message, not a server error."""
    response = client.get("/discover/", {"after": "not-a-cursor"})
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()
    assert client.get("/api/v1/discover/", {"after": "xx"}).status_code == 400
    assert client.get("/api/v1/discover/", {"sort": "random"}).status_code == 400


def test_suggestion_endpoint(backend, catalogue, client):
    """Ensures that the JSON suggestion endpoint completes titles as people type."""
    data = client.get("/discover/suggest/", {"q": "libr"}).json()
    assert data == {"suggestions": ["Library workshop guide"]}


def test_api_matches_the_page(backend, catalogue, client):
    """Ensures that the DRF endpoint takes the page's parameters and returns hits with
    highlights, facets with labels and counts, and a cursor."""
    data = client.get("/api/v1/discover/", {"q": "night", "sector": "mobility", "size": 2}).json()
    assert data["total"] == 4 and data["degraded"] is False
    assert len(data["hits"]) == 2 and data["next"]
    assert "<mark>" in data["hits"][0]["highlights"]["title"]
    kinds = {
        b["value"]: b["count"] for f in data["facets"] if f["name"] == "kind" for b in f["buckets"]
    }
    assert kinds == {"call": 3, "asset": 1}
    following = client.get(
        "/api/v1/discover/", {"q": "night", "sector": "mobility", "size": 2, "after": data["next"]}
    ).json()
    keys = {h["key"] for h in data["hits"]} | {h["key"] for h in following["hits"]}
    assert len(keys) == 4


def test_api_is_in_the_openapi_schema(db, client):
    """Ensures that the discovery endpoint and its parameters appear in the OpenAPI schema."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/discover/" in schema
    for parameter in ("sector", "life_event", "governance_model", "after", "sort"):
        assert f"name: {parameter}" in schema or f'"name": "{parameter}"' in schema


def test_related_sections_on_pages(backend, catalogue, client):
    """Ensures that call pages show similar calls and asset pages related assets,
    through the core's section hooks."""
    call = catalogue["calls"][0]
    html = _html(client.get(call.url))
    section = html[html.index('id="discovery-related"') :]
    assert "Similar calls" in section
    assert "Night bus call 1" in section and "Night bus call 0</a>" not in section
    html = _html(client.get(catalogue["asset"].url))
    section = html[html.index('id="discovery-related"') :]
    assert "Related assets" in section
    first_link = re.search(r"<li><a [^>]*>([^<]+)</a>", section).group(1)
    assert first_link == "Cycling lanes toolkit"  # shares the sector: ranked first


def test_query_string_round_trip():
    """Ensures that links keep words, filters and sort, and drop defaults."""
    from interlink_search.types import SearchQuery

    query = SearchQuery(text="bus", filters={"sector": ["mobility"]}, sort="newest")
    assert query_string(query) == "q=bus&sector=mobility&sort=newest"


def test_no_filter_relaxation_without_filters(backend, catalogue, client):
    """Ensures that without filters the "no results" help does not offer to keep the
    filters and drop the words (there are no filters to keep)."""
    html = _html(client.get("/discover/", {"q": "zeppelin"}))
    assert "No results" in html
    assert "Keep the filters, drop the search words" not in html
    assert "Try other or fewer words" in html
