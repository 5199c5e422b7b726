"""The shape of the Elasticsearch search request (what keeps it cheap for the engine)."""

import pytest

from interlink_search.backends.elasticsearch import ElasticsearchBackend, client_options
from interlink_search.backends.elasticsearch_mapping import Fallback, index_body
from interlink_search.facets import FACET_NAMES
from interlink_search.types import SearchQuery


def test_filters_are_applied_once_and_facets_aggregate_the_matches(settings):
    """Ensures that filters sit in the query's filter context (no post_filter), facets
    not filtered on are plain terms aggregations of the main search, each filtered facet
    is a size-0 search of its own without its own filter (no global aggregation), and the
    engine-only fields stay out of the returned sources."""
    settings.SEARCH_URL = "http://127.0.0.1:9"  # never contacted: the request is only built
    backend = ElasticsearchBackend(prefix="shape")
    query = SearchQuery(text="bus", filters={"kind": ["asset"], "sector": ["x"]}, language="en")
    body = backend.search_request(query).to_dict()
    assert "post_filter" not in body
    assert body["query"]["bool"]["filter"] == [
        {"terms": {"kind": ["asset"]}},
        {"terms": {"sector": ["x"]}},
    ]
    assert body["query"]["bool"]["must_not"] == [{"term": {"hidden_in": "en"}}]
    unfiltered = set(FACET_NAMES) - {"kind", "sector"}
    assert set(body["aggs"]) == unfiltered
    assert all("terms" in body["aggs"][name] for name in unfiltered)
    scoped = dict(backend.facet_requests(query))
    assert set(scoped) == {"kind", "sector"}
    assert scoped["kind"]["size"] == 0
    assert scoped["kind"]["query"]["bool"]["filter"] == [{"terms": {"sector": ["x"]}}]
    assert scoped["kind"]["aggs"]["values"]["terms"]["field"] == "kind"
    assert "suggest" in body["_source"]["excludes"]


def test_language_analyzers_fold_accents_as_documented():
    """Ensures that each language's analyzer is custom, as docs/search.md says: stop
    words, a stemmer (Snowball; Elasticsearch's Latvian stemmer) and asciifolding."""
    analysis = index_body("shape")["settings"]["analysis"]
    filters = analysis["filter"]
    for lang, stemmer in (
        ("en", ("snowball", "English")),
        ("es", ("snowball", "Spanish")),
        ("it", ("snowball", "Italian")),
        ("lv", ("stemmer", "latvian")),
    ):
        chain = analysis["analyzer"][f"il_{lang}"]["filter"]
        assert chain[-1] == "asciifolding", lang
        stem = filters[f"il_{lang}_stem"]
        assert (stem["type"], stem["language"]) == stemmer
        assert filters[f"il_{lang}_stop"]["type"] == "stop"
    fallback = index_body("shape", {"lv": Fallback.BUILT_IN})["settings"]["analysis"]
    assert fallback["analyzer"]["il_lv"] == {"type": "latvian"}


@pytest.mark.elasticsearch
def test_an_engine_that_refuses_an_analyzer_gets_the_fallback(settings, osmem_url, caplog):
    """Ensures that creating the index probes each language analyzer and falls back, with
    a warning, where the engine refuses it (osmem: the Latvian stemmer) or turns a query
    into no term (osmem: the Italian Snowball stemmer), keeping the others custom."""
    settings.SEARCH_URL, settings.SEARCH_PLAIN_JSON = osmem_url, True
    engine = ElasticsearchBackend(prefix="analyzers")
    engine.ensure_index()
    analyzers = engine.client.indices.get_settings(index=engine.alias).body
    (index_settings,) = analyzers.values()
    analysis = index_settings["settings"]["index"]["analysis"]["analyzer"]
    assert analysis["il_en"]["filter"][-1] == "asciifolding"
    assert analysis["il_es"]["filter"][-1] == "asciifolding"
    assert analysis["il_it"]["type"] == "italian"  # the built-in one works on osmem
    # osmem has no Latvian analysis at all: folding only.
    assert analysis["il_lv"]["filter"] == ["lowercase", "asciifolding"]
    assert "language 'lv'" in caplog.text and "language 'it'" in caplog.text


def test_client_takes_ca_certificates(settings):
    """Ensures that the engine's CA bundle and certificate verification come from
    settings (and are not passed for plain http, which the client refuses)."""
    settings.SEARCH_CA_CERTS = "/etc/interlink/engine-ca.pem"
    settings.SEARCH_VERIFY_CERTS = True
    options = client_options("https://search.example:9200")
    assert options["ca_certs"] == "/etc/interlink/engine-ca.pem"
    assert options["verify_certs"] is True
    assert "ca_certs" not in client_options("http://127.0.0.1:9200")


def test_an_index_counts_facets_exactly_without_a_first_search_stall():
    """Ensures that the index has one shard (terms aggregations are exact only then,
    whatever the number of municipalities) and that every facet field builds its
    global ordinals at refresh time, not in the first search after it."""
    body = index_body("shape")
    assert body["settings"]["number_of_shards"] == 1
    properties = body["mappings"]["properties"]
    assert all(properties[name].get("eager_global_ordinals") for name in FACET_NAMES)
    assert not properties["key"].get("eager_global_ordinals")
