"""The database backend's index structures: facet codes, facet tokens, planner hints."""

import pytest
from django.db import connection

from interlink_search.backends.database import DatabaseBackend, facet_codes
from interlink_search.documents import make_document
from interlink_search.models import FacetValue, IndexEntry, token_codes
from interlink_search.types import SearchQuery


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
    """Ensures that an entry's facet tokens follow its latest document, so a filter on
    a value it lost no longer finds it."""
    backend = DatabaseBackend()
    backend.upsert([document("a", sector=["mobility"], licence="MIT")])
    mobility = facet_codes([("sector", "mobility")])["sector", "mobility"]
    assert f"f{mobility}" in IndexEntry.objects.get(key="a").facet_terms.split()

    backend.upsert([document("a", sector=["education"], licence="MIT")])
    entry = IndexEntry.objects.get(key="a")
    assert f"f{mobility}" not in entry.facet_terms.split()
    assert len(token_codes(entry.facet_terms)) == 4  # kind, origin, sector, licence
    assert backend.search(SearchQuery(filters={"sector": ["mobility"]})).total == 0
    found = backend.search(SearchQuery(text="bus", filters={"sector": ["education"]}))
    assert [hit.key for hit in found.hits] == ["a"]


@pytest.mark.postgres
def test_search_restores_the_planner_setting(db):
    """Ensures that searching (inside the test's transaction) leaves ``enable_seqscan``
    and ``statement_timeout`` as it found them."""
    DatabaseBackend().search(SearchQuery(text="bus", filters={"kind": ["asset"]}))
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


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


@pytest.mark.parametrize(
    ("walk_above", "walk_batch"),
    [(1000, 256), (0, 256), (0, 1)],
    ids=["read-candidates", "walk-by-date", "walk-in-batches"],
)
def test_related_entries_rank_by_shared_values_then_newest(db, monkeypatch, walk_above, walk_batch):
    """Ensures that related entries are ranked by how many sector and life-event values
    they share, then by date; never the entry's own translations (its group), copies
    hidden in the page's language, another kind, or a deleted entry; the same whether
    the candidates' rows are read or the entries are walked newest first, in one batch
    or in many (each starting after the last, entries with equal dates included)."""
    import datetime

    from interlink_search.backends import database

    monkeypatch.setattr(database, "WALK_ABOVE", walk_above)
    monkeypatch.setattr(database, "WALK_BATCH", walk_batch)

    def at(day):
        return datetime.datetime(2026, 1, day, tzinfo=datetime.UTC)

    backend = DatabaseBackend()
    backend.upsert(
        [
            document("page", sector=["mobility", "education"], life_event="moving", group="g"),
            document("two", sector=["mobility", "education"], published_at=at(1)),
            document("one-newer", sector=["mobility"], published_at=at(9)),
            document("one-older", sector=["education"], published_at=at(2)),
            document("event", life_event="moving", sector="housing", published_at=at(3)),
            document("translation", sector=["mobility", "education"], group="g"),
            document("hidden", sector=["mobility", "education"], hidden_in=["es"]),
            document("unrelated", sector=["health"]),
        ]
    )
    related = [doc["key"] for doc in backend.related("page", size=10, language="es")]
    assert related == ["two", "one-newer", "event", "one-older"]
    assert "hidden" in [doc["key"] for doc in backend.related("page", size=10)]
    assert backend.related("page", kind="call") == []
    assert backend.related("unknown") == []
    backend.delete(["two"])  # still in the bitmaps, which keep deleted ids
    assert [doc["key"] for doc in backend.related("page", size=2, language="es")] == [
        "one-newer",
        "event",
    ]


def test_suggestions_leave_out_copies_hidden_in_the_language(db):
    """Ensures that completion does not offer a copy another copy stands for in the
    page's language (the hidden codes are matched in the full-text index)."""
    backend = DatabaseBackend()
    backend.upsert(
        [
            make_document(key="a", kind="call", origin="local", title="Parque", url="/",
                          hidden_in=["en"]),
            make_document(key="b", kind="call", origin="local", title="Park", url="/"),
        ]
    )  # fmt: skip
    assert backend.suggest("par", language="en") == ["Park"]
    assert set(backend.suggest("par", language="es")) == {"Park", "Parque"}


@pytest.mark.parametrize("recent", [2000, 1], ids=["newest-entries", "title-word-index"])
def test_suggestions_come_from_the_newest_entries_or_the_title_word_index(db, monkeypatch, recent):
    """Ensures that suggestions are the newest titles with a word starting as typed
    (earlier words whole, accents and case ignored), whether the newest entries hold
    enough of them or the full-text index of title words is asked."""
    import datetime

    from django.test.utils import CaptureQueriesContext

    from interlink_search.backends import database

    monkeypatch.setattr(database, "SUGGEST_RECENT", recent)

    def titled(key, title, day):
        published = datetime.datetime(2026, 1, day, tzinfo=datetime.UTC)
        return make_document(
            key=key, kind="call", origin="local", title=title, url="/", published_at=published
        )

    backend = DatabaseBackend()
    backend.upsert(
        [
            titled("a", "Night bus survey", 1),
            titled("b", "Better night buses", 2),
            titled("c", "Nightly report", 3),
            titled("d", "Guía de participación", 4),
            titled("e", "A knight's tale", 5),
        ]
    )
    with CaptureQueriesContext(connection) as queries:
        assert backend.suggest("nigh", size=1) == ["Nightly report"]
    asked_index = any(
        "suggest_tsv" in query["sql"] or "suggest :" in query["sql"]
        for query in queries.captured_queries
    )
    assert asked_index == (recent == 1)  # a window of all five holds three matches
    assert backend.suggest("nigh") == ["Nightly report", "Better night buses", "Night bus survey"]
    assert backend.suggest("NIGHT BU") == ["Better night buses", "Night bus survey"]
    assert backend.suggest("guia DE PART") == ["Guía de participación"]
    assert backend.suggest("zzz") == [] and backend.suggest("ight") == []


def test_related_walk_passes_entries_with_equal_dates_in_key_order(db, monkeypatch):
    """Ensures that the walk by date continues after the last entry read when many
    share one date (never published), in key order, missing and repeating none."""
    from interlink_search.backends import database

    monkeypatch.setattr(database, "WALK_ABOVE", 0)
    monkeypatch.setattr(database, "WALK_BATCH", 1)
    backend = DatabaseBackend()
    keys = [f"item-{n}" for n in range(7)]
    backend.upsert([document(key, sector="mobility") for key in ["page", *keys]])
    assert [doc["key"] for doc in backend.related("page", size=7)] == keys
