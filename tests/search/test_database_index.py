"""The database backend's index structures: facet codes, facet tokens, planner hints."""

import pytest
from django.db import connection

from search.backends.database import DatabaseBackend, facet_codes
from search.documents import make_document
from search.models import FacetValue, IndexEntry
from search.types import SearchQuery


def document(key, **facets):
    return make_document(
        key=key, kind="asset", origin="local", title="Bus guide", url="/", **facets
    )


def test_a_facets_codes_stay_in_one_range(db):
    """Ensures that every value of one facet, whenever it is first seen, gets a code in
    that facet's range (what counting one facet relies on), and known codes never change."""
    first = facet_codes([("sector", "mobility"), ("kind", "asset")], create=True)
    later = facet_codes([("sector", "education"), ("licence", "MIT")], create=True)
    again = facet_codes([("sector", "mobility"), ("kind", "asset")], create=True)
    assert again == first
    assert first["sector", "mobility"] >> 32 == later["sector", "education"] >> 32
    assert len({code >> 32 for code in (*first.values(), later["licence", "MIT"])}) == 3
    assert facet_codes([("sector", "unknown")]) == {}
    assert not FacetValue.objects.filter(value="unknown").exists()


def test_upsert_writes_and_replaces_facet_tokens(db):
    """Ensures that an entry's facet tokens and rows follow its latest document, so a
    filter on a value it lost no longer finds it."""
    backend = DatabaseBackend()
    backend.upsert([document("a", sector=["mobility"], licence="MIT")])
    mobility = facet_codes([("sector", "mobility")])["sector", "mobility"]
    assert f"f{mobility}" in IndexEntry.objects.get(key="a").facet_terms.split()

    backend.upsert([document("a", sector=["education"], licence="MIT")])
    entry = IndexEntry.objects.get(key="a")
    assert f"f{mobility}" not in entry.facet_terms.split()
    assert entry.facets.count() == 4  # kind, origin, sector, licence
    assert backend.search(SearchQuery(filters={"sector": ["mobility"]})).total == 0
    found = backend.search(SearchQuery(text="bus", filters={"sector": ["education"]}))
    assert [hit.key for hit in found.hits] == ["a"]


@pytest.mark.postgres
def test_search_restores_the_planner_setting(db):
    """Ensures that searching leaves ``enable_seqscan`` as it found it."""
    DatabaseBackend().search(SearchQuery(text="bus", filters={"kind": ["asset"]}))
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


def _pages(backend, after=None):
    keys = []
    while True:
        page = backend.search(SearchQuery(text="bus", size=2, after=after))
        keys += [hit.key for hit in page.hits]
        if page.next_after is None:
            return keys
        after = page.next_after


def test_relevance_pages_through_equal_scores_lose_nothing(db):
    """Ensures that paging by relevance through entries of equal score (ties broken by
    entry id, the cursor holding the key) gives each entry once, and that when the
    cursor's entry is deleted before the next page, its ties come again rather than
    being skipped."""
    backend = DatabaseBackend()
    keys = [f"k{n}" for n in range(7)]
    backend.upsert([document(key) for key in keys])  # same text: the same score
    assert sorted(_pages(backend)) == keys

    first = backend.search(SearchQuery(text="bus", size=2))
    backend.delete([first.hits[-1].key])
    rest = _pages(backend, first.next_after)
    assert set(rest) | {first.hits[0].key} == set(keys) - {first.hits[-1].key}
