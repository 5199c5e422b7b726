"""Engine down: pages still publish and serve, searches fall back to the database
backend and say so, updates wait, and a later catch-up applies them all."""

import uuid

import pytest
from django.core.management import call_command

from search.backends import get_backend
from search.models import PendingUpdate
from search.tasks import apply_pending_updates
from search.types import SearchQuery

pytestmark = pytest.mark.elasticsearch

# Port 9 (discard) on loopback: nothing listens, so connections are refused at once.
DEAD_ENGINE = "http://127.0.0.1:9"


@pytest.fixture
def engine_down(settings):
    settings.SEARCH_URL = DEAD_ENGINE
    settings.SEARCH_PLAIN_JSON = True
    settings.SEARCH_TIMEOUT = 1.0
    settings.SEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:8]}"
    return settings


def test_engine_down_then_catch_up_loses_nothing(
    engine_down, make_asset, make_call, committed, client, osmem_url
):
    """Ensures that with the engine unreachable pages publish and serve, discovery answers
    from the database with a plain notice, updates wait (with the error), and a later
    catch-up puts every change, including a deletion, into the engine."""
    asset = committed(make_asset, title="Guía de participación ciudadana", languages=["es"])
    doomed = committed(make_call, title="Short-lived call about parks")
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

    engine_down.SEARCH_URL = osmem_url
    engine_down.SEARCH_TIMEOUT = 10.0
    call_command("reindex", "--pending")
    assert not PendingUpdate.objects.exists()
    engine = get_backend("elasticsearch")
    engine.refresh()
    assert engine.keys() == {f"page:{asset.uuid}", f"page:{call.uuid}"}
    results = engine.search(SearchQuery(text="participacion"))
    assert [hit.key for hit in results.hits] == [f"page:{asset.uuid}"]
    assert not results.degraded
    page = client.get("/discover/", {"q": "participación"})
    assert "search engine is unreachable" not in page.content.decode()
