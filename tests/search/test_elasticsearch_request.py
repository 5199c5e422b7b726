"""The shape of the Elasticsearch search request (what keeps it cheap for the engine)."""

from search.backends.elasticsearch import ElasticsearchBackend
from search.facets import FACET_NAMES
from search.types import SearchQuery


def test_filters_are_applied_once_and_facets_aggregate_the_matches(settings):
    """Ensures that filters sit in the query's filter context (no post_filter), facets
    not filtered on are plain terms aggregations, only filtered facets get a scoped
    aggregation, and the engine-only fields stay out of the returned sources."""
    settings.SEARCH_URL = "http://127.0.0.1:9"  # never contacted: the request is only built
    body = (
        ElasticsearchBackend(prefix="shape")
        .search_request(SearchQuery(text="bus", filters={"kind": ["asset"], "sector": ["x"]}))
        .to_dict()
    )
    assert "post_filter" not in body
    assert body["query"]["bool"]["filter"] == [
        {"terms": {"kind": ["asset"]}},
        {"terms": {"sector": ["x"]}},
    ]
    unfiltered = set(FACET_NAMES) - {"kind", "sector"}
    assert {name for name in body["aggs"] if name in FACET_NAMES} == unfiltered
    assert all("terms" in body["aggs"][name] for name in unfiltered)
    scoped = body["aggs"]["filtered_facets"]["aggs"]
    assert set(scoped) == {"kind", "sector"}
    assert scoped["kind"]["filter"]["bool"]["filter"] == [{"terms": {"sector": ["x"]}}]
    assert "suggest" in body["_source"]["excludes"]
