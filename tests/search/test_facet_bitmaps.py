"""The database backend's in-memory facet bitmaps stay in step with the index."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from interlink_search.backends import facet_bitmaps
from interlink_search.backends.database import DatabaseBackend
from interlink_search.documents import make_document
from interlink_search.models import FacetSnapshot, IndexRevision
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


def facet_reads(queries):
    """The statements that read entries' facet codes (a full read has no revision)."""
    return [q["sql"] for q in queries.captured_queries if "facet_terms FROM" in q["sql"]]


def test_a_new_process_starts_from_the_saved_bitmaps(db, monkeypatch):
    """Ensures that bitmaps built by one process are saved, and that a process starting
    later loads them instead of reading every entry, with the same counts."""
    monkeypatch.setattr(facet_bitmaps, "SAVE_AFTER", 2)
    backend = DatabaseBackend()
    backend.upsert([document("a", "mobility"), document("b", "education")])
    facet_bitmaps.forget()
    first = backend.search(SearchQuery(text="bus"))
    assert FacetSnapshot.objects.count() == 1

    facet_bitmaps.forget()  # a new process
    with CaptureQueriesContext(connection) as queries:
        again = backend.search(SearchQuery(text="bus"))
    assert sectors(again) == sectors(first) == {"mobility": 1, "education": 1}
    assert facet_reads(queries) == [] or all("revision >" in sql for sql in facet_reads(queries))


def test_saved_bitmaps_are_brought_up_to_date_from_the_index(db, monkeypatch):
    """Ensures that a process loading saved bitmaps re-reads only the entries written
    since they were saved, and counts what the index holds now (changed, new and
    deleted entries), never what the snapshot held."""
    monkeypatch.setattr(facet_bitmaps, "SAVE_AFTER", 2)
    backend = DatabaseBackend()
    backend.upsert([document("a", "mobility"), document("b", "mobility")])
    backend.search(SearchQuery())
    monkeypatch.setattr(facet_bitmaps, "SAVE_AFTER", 100)
    backend.upsert([document("b", "education"), document("c", "health")])
    backend.delete(["a"])

    facet_bitmaps.forget()
    with CaptureQueriesContext(connection) as queries:
        results = backend.search(SearchQuery(text="bus"))
    assert sectors(results) == {"education": 1, "health": 1}
    reads = facet_reads(queries)
    assert len(reads) == 1 and "revision >" in reads[0]


def test_saved_bitmaps_the_index_no_longer_vouches_for_are_not_used(db, monkeypatch):
    """Ensures that saved bitmaps whose revision was rolled back or pruned (its stamp
    differs, or the revision is gone), or that cannot be read, are ignored: the
    process reads every entry instead."""
    monkeypatch.setattr(facet_bitmaps, "SAVE_AFTER", 1)
    backend = DatabaseBackend()
    backend.upsert([document("a", "mobility")])
    backend.search(SearchQuery())
    monkeypatch.setattr(facet_bitmaps, "SAVE_AFTER", 100)
    for change in (
        lambda: FacetSnapshot.objects.update(stamp="0" * 16),
        lambda: FacetSnapshot.objects.update(stamp=IndexRevision.objects.get().stamp, data=b"?"),
    ):
        change()
        facet_bitmaps.forget()
        with CaptureQueriesContext(connection) as queries:
            results = backend.search(SearchQuery())
        assert sectors(results) == {"mobility": 1}
        assert any("revision >" not in sql for sql in facet_reads(queries))


def test_reindex_saves_the_bitmaps(db, monkeypatch):
    """Ensures that a rebuild leaves saved bitmaps of the index it built, so that no
    process after it reads every entry."""
    monkeypatch.setattr(facet_bitmaps, "SAVE_AFTER", 2)
    backend = DatabaseBackend()
    target = backend.begin_rebuild()
    backend.upsert_into(target, [document("a", "mobility"), document("b", "health")])
    backend.finish_rebuild(target)
    saved = FacetSnapshot.objects.get()
    assert saved.revision == IndexRevision.objects.latest("revision").revision
    bits = facet_bitmaps.deserialize(bytes(saved.data))
    mobility = facet_bitmaps.current().codes["sector", "mobility"]
    assert bits == facet_bitmaps.current().bits and len(bits[mobility]) == 1


def test_facet_state_grows_with_the_values_entries_have_not_with_their_number(db):
    """Ensures that the memory facet state takes is about 2 bytes per (entry, value)
    pair for values few entries have, so a hub with thousands of municipalities does
    not need a full bitmap per municipality."""
    backend = DatabaseBackend()
    backend.upsert([document(f"k{n}", "mobility", municipality=f"Town {n}") for n in range(300)])
    bitmaps = facet_bitmaps.current()
    assert len(bitmaps.fields["municipality"]) == 300
    pairs = sum(len(entries) for entries in bitmaps.bits.values())
    # Plain bitmaps would take a bit per entry per value: 303 values x 300 ids.
    assert bitmaps.memory() <= 2 * pairs < len(bitmaps.bits) * 300 // 8


@pytest.mark.parametrize("ids", [[], [1], [5, 70_000, 2**31 + 7, 2**32 - 1]])
def test_matched_ids_arrive_as_one_value(db, ids):
    """Ensures that the ids a statement matches arrive in one value and come back as
    the same set, up to the largest id a bitmap holds."""
    values = " UNION ALL ".join(f"SELECT {n} AS entry_id" for n in ids) or (
        "SELECT 1 AS entry_id WHERE 1 = 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(facet_bitmaps.ids_sql(values), [])
        (value,) = cursor.fetchone()
    assert list(facet_bitmaps.from_ids(value)) == ids


def test_the_worker_saves_the_bitmaps_when_many_entries_were_written_since(db, monkeypatch):
    """Ensures that after applying updates, the bitmaps are saved once the entries
    written since the saved ones reach ``SAVE_AFTER`` (many small writes, none of
    which alone would), so a new process never has far to catch up."""
    monkeypatch.setattr(facet_bitmaps, "SAVE_AFTER", 3)
    backend = DatabaseBackend()
    backend.upsert([document("a", "mobility"), document("b", "mobility")])
    backend.after_writes()
    assert not FacetSnapshot.objects.exists()  # 2 behind
    backend.upsert([document("c", "health")])
    backend.after_writes()
    saved = FacetSnapshot.objects.get()
    assert saved.revision == IndexRevision.objects.latest("revision").revision
    backend.upsert([document("d", "health")])
    backend.after_writes()
    assert FacetSnapshot.objects.get().revision == saved.revision  # 1 behind
