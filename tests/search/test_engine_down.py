"""Engine down: pages still publish and serve, searches fall back to the database
backend and say so, updates wait, and a later catch-up applies them all."""

import socket
import threading
import uuid

import pytest
from django.core.management import call_command

from interlink_search.backends import get_backend
from interlink_search.backends.elasticsearch import ElasticsearchBackend  # noqa: F401 - imported once here, not timed
from interlink_search.models import PendingUpdate
from interlink_search.tasks import apply_pending_updates
from interlink_search.types import SearchQuery

pytestmark = pytest.mark.elasticsearch

# Port 9 (discard) on loopback: nothing listens, so connections are refused at once.
DEAD_ENGINE = "http://127.0.0.1:9"


@pytest.fixture
def hanging_engine(settings):
    """A loopback server that accepts connections and never answers (a hung engine),
    with the number of connections it received."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])  # kept open, never read or answered
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings.SEARCH_URL = f"http://127.0.0.1:{server.getsockname()[1]}"
    settings.SEARCH_PLAIN_JSON = True
    settings.SEARCH_TIMEOUT = 1.0
    settings.SEARCH_RETRY_SECONDS = 60
    yield held
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def test_a_hanging_engine_costs_one_timeout_then_nothing(
    hanging_engine, settings, make_call, client, monkeypatch
):
    """Ensures that when the engine hangs, the discovery page answers from the database
    after one engine call (results and suggestions together: one timeout), and that later
    requests skip the engine until one request per interval probes it again. Counted in
    engine connections, with the breaker's clock moved on, not in measured seconds."""
    from interlink_search import breaker

    make_call(title="Night bus routes")  # in the database index only: the engine hangs
    from interlink_search.indexing import apply_pending

    apply_pending(["database"])
    now = [1_000_000.0]
    monkeypatch.setattr(breaker, "clock", lambda: now[0])

    page = client.get("/discover/", {"q": "night"})
    assert page.status_code == 200 and "Night bus routes" in page.content.decode()
    assert "search engine is unreachable" in page.content.decode()
    assert len(hanging_engine) == 1  # results and suggestions were one request

    now[0] += 59  # within the interval: no request reaches the engine
    for path, params in (("/discover/", {"q": "bus"}), ("/discover/suggest/", {"q": "nig"})):
        response = client.get(path, params)
        assert response.status_code == 200, path
    assert len(hanging_engine) == 1

    now[0] += 2  # the interval is over: the next request probes, the one after does not
    assert client.get("/discover/", {"q": "night"}).status_code == 200
    assert len(hanging_engine) == 2
    assert client.get("/discover/", {"q": "night"}).status_code == 200
    assert len(hanging_engine) == 2


def test_engine_down_then_catch_up_loses_nothing(
    settings, make_asset, make_call, committed, client, osmem_url
):
    """Ensures that with the engine unreachable pages publish and serve, discovery answers
    from the database with a plain notice, updates wait (with the error), and a later
    catch-up puts every change, including the deletion of a page the engine had indexed,
    into the engine."""
    settings.SEARCH_URL, settings.SEARCH_PLAIN_JSON = osmem_url, True
    settings.SEARCH_TIMEOUT = 30.0
    settings.SEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:8]}"
    doomed = committed(make_call, title="Short-lived call about parks")
    engine = get_backend("elasticsearch")
    engine.refresh()
    assert engine.keys() == {f"page:{doomed.uuid}"}

    settings.SEARCH_URL, settings.SEARCH_TIMEOUT = DEAD_ENGINE, 1.0
    asset = committed(make_asset, title="Guía de participación ciudadana", languages=["es"])
    committed(doomed.delete)
    call = committed(make_call, title="Night bus routes")

    assert client.get(asset.url).status_code == 200
    waiting = PendingUpdate.objects.filter(backend="elasticsearch")
    assert waiting.count() == 3
    assert all(row.attempts >= 1 and row.last_error for row in waiting)
    assert not PendingUpdate.objects.filter(backend="database").exists()

    page = client.get("/discover/", {"q": "participación"})
    assert page.status_code == 200
    assert "search engine is unreachable" in page.content.decode()
    assert asset.title in page.content.decode()
    api = client.get("/api/v1/discover/", {"q": "bus"}).json()
    assert api["degraded"] is True and api["backend"] == "database"
    assert [hit["title"] for hit in api["hits"]] == ["Night bus routes"]

    # A retry while still down keeps everything.
    apply_pending_updates.call()
    assert waiting.count() == 3

    settings.SEARCH_URL, settings.SEARCH_TIMEOUT = osmem_url, 30.0
    call_command("reindex", "--pending")
    assert not PendingUpdate.objects.exists()
    engine.refresh()
    assert engine.keys() == {f"page:{asset.uuid}", f"page:{call.uuid}"}
    results = engine.search(SearchQuery(text="participacion"))
    assert [hit.key for hit in results.hits] == [f"page:{asset.uuid}"]
    assert not results.degraded
    page = client.get("/discover/", {"q": "participación"})
    assert "search engine is unreachable" not in page.content.decode()
