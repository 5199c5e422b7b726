"""A search's word matches on a side connection (PostgreSQL), in parallel with its page."""

import logging

import pytest
from django.db import connection, transaction

from interlink_search.backends import side_queries
from interlink_search.backends.database import DatabaseBackend
from interlink_search.documents import make_document
from interlink_search.types import SearchQuery

pytestmark = pytest.mark.postgres


def document(key, sector, title):
    return make_document(
        key=key, kind="asset", origin="local", title=title, url="/", sector=[sector]
    )


@pytest.fixture
def indexed(transactional_db):
    backend = DatabaseBackend()
    backend.upsert(
        [
            document("a", "mobility", "Bus guide"),
            document("b", "mobility", "Bus timetable"),
            document("c", "education", "Bus to school"),
            document("d", "education", "Library card"),
        ]
    )
    yield backend
    side_queries.close_all()


def answer(results):
    facets = {
        name: [(b.value, b.count) for b in buckets] for name, buckets in results.facets.items()
    }
    return [hit.key for hit in results.hits], results.total, facets


QUERY = SearchQuery(text="bus", filters={"sector": ["mobility"]})


def test_a_search_reads_its_matches_on_a_side_connection(indexed, settings, monkeypatch):
    """Ensures that outside a transaction the word matches are read on another
    connection, and the answer is the one the search gives without it."""
    settings.SEARCH_SIDE_CONNECTIONS = 0
    alone = answer(indexed.search(QUERY))
    settings.SEARCH_SIDE_CONNECTIONS = 2
    sent = []
    submit = side_queries.submit
    monkeypatch.setattr(side_queries, "submit", lambda *a: sent.append(a[0]) or submit(*a))
    assert answer(indexed.search(QUERY)) == alone
    assert alone[:2] == (["a", "b"], 2) and alone[2]["sector"] == [
        ("mobility", 2),
        ("education", 1),
    ]
    assert len(sent) == 1 and side_queries._opened


def test_a_broken_side_connection_is_opened_again(indexed):
    """Ensures that when the server ends a side connection (a restart, an idle
    timeout), the next search opens a new one instead of failing."""
    expected = answer(indexed.search(QUERY))
    (side,) = side_queries._opened
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [side.info.backend_pid])
    assert answer(indexed.search(QUERY)) == expected
    assert side.closed and len(side_queries._opened) == 1 and side_queries._opened[0] is not side


def test_a_failing_side_connection_leaves_the_search_to_this_one(indexed, monkeypatch, caplog):
    """Ensures that if the side connection cannot answer, the search reads the matches
    itself and still answers in full (and says so in the log)."""
    expected = answer(indexed.search(QUERY))

    def refuse(*args):
        raise OSError("connection refused")

    monkeypatch.setattr(side_queries, "_run", refuse)
    with caplog.at_level(logging.WARNING, logger="interlink_search.backends.database"):
        assert answer(indexed.search(QUERY)) == expected
    assert "Side connection failed" in caplog.text


def test_a_search_inside_a_transaction_stays_on_its_connection(indexed, monkeypatch):
    """Ensures that a search inside a transaction counts that transaction's own writes:
    another connection could not see them."""
    monkeypatch.setattr(side_queries, "submit", lambda *a: pytest.fail("sent aside"))
    with transaction.atomic():
        indexed.upsert([document("e", "mobility", "Bus stop")])
        results = indexed.search(QUERY)
    assert results.total == 3
    assert results.facets["sector"][0].count == 3


def test_a_search_does_not_queue_for_a_busy_side_connection(indexed, settings, monkeypatch):
    """Ensures that when every side connection is busy (here the only one, held by a
    slow statement), a search is not queued behind it: it is given none, runs both
    statements itself and answers in full; once the side is free it is used again."""
    settings.SEARCH_SIDE_CONNECTIONS = 1
    monkeypatch.setattr(side_queries, "_pool", None)
    monkeypatch.setattr(side_queries, "_slots", None)
    expected = answer(indexed.search(QUERY))
    slow = side_queries.submit("SELECT pg_sleep(1)", [], len)
    assert slow is not None
    assert side_queries.submit("SELECT 1", [], len) is None
    assert answer(indexed.search(QUERY)) == expected
    assert slow.result(timeout=10) == 1
    again = side_queries.submit("SELECT 1", [], len)
    assert again is not None and again.result(timeout=10) == 1


def test_a_side_statement_out_of_time_ends_the_search(indexed, settings, monkeypatch):
    """Ensures that when the side connection's statement runs past the time limit, the
    search stops with ``SearchTooSlow`` instead of running that statement again here
    (which would take as long)."""
    from django.test.utils import CaptureQueriesContext

    from interlink_search.backends import SearchTooSlow

    settings.SEARCH_DATABASE_TIMEOUT = 0.2  # side connections read it when they open
    submit = side_queries.submit

    def slow(sql, params, then):
        return submit(f"SELECT w.* FROM ({sql}) w CROSS JOIN pg_sleep(2)", params, then)

    monkeypatch.setattr(side_queries, "submit", slow)
    with CaptureQueriesContext(connection) as here, pytest.raises(SearchTooSlow):
        indexed.search(QUERY)
    assert not [q for q in here.captured_queries if "SELECT entry_id FROM" in q["sql"]]
