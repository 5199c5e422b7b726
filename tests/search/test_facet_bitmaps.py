"""The database backend's in-memory facet bitmaps stay in step with the index."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from interlink_search.backends import facet_bitmaps
from interlink_search.backends.database import DatabaseBackend
from interlink_search.documents import make_document
from interlink_search.models import IndexRevision
from interlink_search.types import SearchQuery


def document(key, sector, title="Bus guide", **extra):
    return make_document(
        key=key, kind="asset", origin="local", title=title, url="/", sector=[sector], **extra
    )


def sectors(results):
    return {bucket.value: bucket.count for bucket in results.facets["sector"]}


def test_counts_follow_writes_made_after_the_bitmaps_were_built(db):
    """Ensures that a search after another write (from this process or any other: the
    bitmaps learn of both from the database) counts the entries as they are now, and
    re-reads only the entries written since."""
    backend = DatabaseBackend()
    backend.upsert([document("a", "mobility"), document("b", "mobility")])
    assert sectors(backend.search(SearchQuery(text="bus"))) == {"mobility": 2}

    backend.upsert([document("b", "education"), document("c", "health")])
    with CaptureQueriesContext(connection) as queries:
        results = backend.search(SearchQuery(text="bus"))
    assert sectors(results) == {"mobility": 1, "education": 1, "health": 1}
    reads = [q["sql"] for q in queries.captured_queries if "facet_terms FROM" in q["sql"]]
    assert len(reads) == 1 and "revision >" in reads[0]


def test_a_rolled_back_write_is_forgotten(db):
    """Ensures that bitmaps built from a write that was then rolled back (a search in
    the same transaction saw it) are rebuilt when a later write takes the same revision
    number: the revision's stamp differs."""
    backend = DatabaseBackend()
    backend.upsert([document("a", "mobility")])
    with pytest.raises(RuntimeError), transaction.atomic():
        backend.upsert([document("b", "education")])
        assert sectors(backend.search(SearchQuery())) == {"mobility": 1, "education": 1}
        raise RuntimeError("roll back")
    backend.upsert([document("c", "health")])
    assert sectors(backend.search(SearchQuery())) == {"mobility": 1, "health": 1}


def test_deleted_entries_are_not_counted(db):
    """Ensures that a deleted entry leaves every count (deletions write no revision:
    counts only include ids the database still has)."""
    backend = DatabaseBackend()
    backend.upsert([document("a", "mobility"), document("b", "education")])
    assert backend.search(SearchQuery()).total == 2
    backend.delete(["a"])
    for query in (SearchQuery(), SearchQuery(text="bus"), SearchQuery(filters={"kind": ["asset"]})):
        results = backend.search(query)
        assert (results.total, sectors(results)) == (1, {"education": 1})


def test_bitmaps_older_than_the_kept_revisions_are_rebuilt(db, monkeypatch):
    """Ensures that when the revision the bitmaps were built at has been pruned, the
    next search reads everything again instead of trusting them."""
    monkeypatch.setattr(facet_bitmaps, "KEEP_REVISIONS", 2)
    backend = DatabaseBackend()
    backend.upsert([document("a", "mobility")])
    backend.search(SearchQuery())
    for key, sector in (("a", "education"), ("b", "health"), ("c", "health")):
        backend.upsert([document(key, sector)])
    assert IndexRevision.objects.count() == 2
    with CaptureQueriesContext(connection) as queries:
        results = backend.search(SearchQuery())
    assert sectors(results) == {"education": 1, "health": 2}
    assert not any("revision >" in q["sql"] for q in queries.captured_queries)


def test_filters_and_hidden_copies_use_the_bitmaps_dictionary(db):
    """Ensures that a search's filter and language codes come from the bitmaps'
    dictionary (no lookup of their own), including values nobody uses."""
    backend = DatabaseBackend()
    backend.upsert([document("a", "mobility", hidden_in=["es"]), document("b", "education")])
    backend.search(SearchQuery())
    with CaptureQueriesContext(connection) as queries:
        hidden = backend.search(SearchQuery(language="es"))
        unknown = backend.search(SearchQuery(filters={"sector": ["nobody"]}))
    assert [hit.key for hit in hidden.hits] == ["b"]
    assert (unknown.total, unknown.hits) == (0, [])
    assert not any("interlink_search_facetvalue" in q["sql"] for q in queries.captured_queries)


@pytest.mark.postgres
def test_revisions_follow_commit_order(transactional_db):
    """Ensures that a second writer waits for the first to commit before taking its
    revision, so a revision is never visible before a lower one."""
    taken = []
    with transaction.atomic():
        first = facet_bitmaps.next_revision()

        def second_writer():
            try:
                with transaction.atomic():
                    taken.append(facet_bitmaps.next_revision())
            finally:
                connections.close_all()

        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive() and not taken  # blocked behind the open transaction
    thread.join(10)
    assert taken == [first + 1]
