"""Database searches have a time limit (``SEARCH_DATABASE_TIMEOUT``): a search that runs
past it is stopped, and people are told so instead of waiting or seeing an error page."""

import pytest
from django.db import connection

from interlink_search.backends import SearchTooSlow, database
from interlink_search.backends.database import DatabaseBackend
from interlink_search.types import SearchQuery


@pytest.fixture
def backend_name(settings):
    settings.SEARCH_URL = ""  # the database backend answers (it is what limits apply to)
    return "database"


@pytest.fixture
def slow_statements(settings, monkeypatch):
    """Every database search runs past the limit: on PostgreSQL a statement sleeping
    0.5 s comes before each of its statements, against a limit of 50 ms; SQLite's
    progress handler looks at the clock after every step, against a limit of 0."""
    if connection.vendor == "postgresql":
        settings.SEARCH_DATABASE_TIMEOUT = 0.05
        run = DatabaseBackend._run

        def sleepy(self, sql, params):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(0.5)")
            return run(self, sql, params)

        monkeypatch.setattr(DatabaseBackend, "_run", sleepy)
    else:
        settings.SEARCH_DATABASE_TIMEOUT = 0
        monkeypatch.setattr(database, "SQLITE_PROGRESS_STEPS", 1)


def test_a_search_past_the_limit_is_stopped(backend, publish_call, slow_statements):
    """Ensures that a search running past the limit raises ``SearchTooSlow``, and the
    connection is usable afterwards."""
    publish_call(title="Night bus call")
    with pytest.raises(SearchTooSlow):
        backend.search(SearchQuery(text="night"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_people_are_told_when_a_search_took_too_long(
    backend, publish_call, client, slow_statements
):
    """Ensures that the page answers 503 with a plain message and the search box still
    filled in, the API 503 with a reason, and that a call page is served without its
    related section rather than failing."""
    call = publish_call(title="Night bus call", sectors=["mobility"])
    publish_call(title="Night tram call", sectors=["mobility"])
    page = client.get("/discover/", {"q": "night"})
    assert page.status_code == 503
    html = page.content.decode()
    assert "This search took too long and was stopped" in html
    assert 'value="night"' in html and "results-heading" not in html
    api = client.get("/api/v1/discover/", {"q": "night"})
    assert api.status_code == 503 and "longer than" in api.json()["detail"]
    assert client.get("/discover/suggest/", {"q": "nig"}).json() == {"suggestions": []}
    call_page = client.get(call.url)
    assert call_page.status_code == 200
    assert "Night tram call" not in call_page.content.decode()


def test_searches_within_the_limit_are_untouched(backend, publish_call, client, settings):
    """Ensures that the limit does not stop ordinary searches (the default limit)."""
    publish_call(title="Night bus call")
    assert client.get("/discover/", {"q": "night"}).status_code == 200
    assert backend.search(SearchQuery(text="night")).total == 1


def test_bringing_the_facet_bitmaps_up_is_not_cut_short(db, settings, monkeypatch):
    """Ensures that reading entries for the facet bitmaps (every entry, in a process
    that found none saved: seconds at a million entries) is not stopped by a search's
    time limit, which would make every search fail and none save them; the search's
    own statements are limited again afterwards."""
    from interlink_search.backends import facet_bitmaps
    from interlink_search.documents import make_document

    backend = DatabaseBackend()
    backend.upsert(
        [make_document(key="a", kind="asset", origin="local", title="Bus", url="/", sector="x")]
    )
    facet_bitmaps.forget()
    load = facet_bitmaps._load

    def slow_load(known, head):
        with connection.cursor() as cursor:  # longer than the limit, in a statement
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_sleep(0.3)")
            else:
                cursor.execute(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    "WHERE i < 300000) SELECT count(*) FROM n"
                )
        return load(known, head)

    settings.SEARCH_DATABASE_TIMEOUT = 0.1 if connection.vendor == "postgresql" else 0.01
    monkeypatch.setattr(facet_bitmaps, "_load", slow_load)
    results = backend.search(SearchQuery(text="bus"))
    assert results.total == 1 and results.facets["sector"][0].value == "x"

    monkeypatch.setattr(facet_bitmaps, "_load", load)
    with pytest.raises(SearchTooSlow):  # the limit is back for the search's statements
        with connection.cursor() as cursor, database._searching():
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_sleep(0.3)")
            else:
                cursor.execute(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    "WHERE i < 3000000) SELECT count(*) FROM n"
                )
