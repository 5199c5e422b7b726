"""Fixtures of the search suite: one suite, parametrised over the backends.

``backend`` runs a test against the database backend (SQLite, or PostgreSQL when
DATABASE_URL says so) and against Elasticsearch's REST API served by osmem-server
(a fresh in-memory clone per test, from the ``osmem_url`` fixture of its plugin).
Index updates are applied exactly as in production: signals queue pending updates,
and the task runs once the transaction commits (captured here, since pytest-django
wraps each test in a transaction).
"""

import uuid

import pytest
from django.core.cache import cache

from interlink_search.backends import get_backend

BACKENDS = ["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]
# osmem shares two cores with other test processes: a request may take seconds under
# load, which must not count as the engine being down (production's default is 5 s).
OSMEM_TIMEOUT = 30.0


@pytest.fixture(autouse=True)
def closed_breaker():
    """Every test starts with the engine's circuit breaker closed: the local-memory
    cache that holds its state outlives tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=BACKENDS)
def backend_name(request, settings):
    if request.param == "elasticsearch":
        settings.SEARCH_URL = request.getfixturevalue("osmem_url")
        settings.SEARCH_PLAIN_JSON = True
        settings.SEARCH_TIMEOUT = OSMEM_TIMEOUT
        settings.SEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:8]}"
    else:
        settings.SEARCH_URL = ""
    return request.param


@pytest.fixture
def backend(backend_name):
    return get_backend(backend_name)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run ``fn`` and then its on-commit callbacks (the index-update task)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = fn(*args, **kwargs)
        return result

    return run


@pytest.fixture
def publish_call(make_call, committed, backend):
    def make(**fields):
        call = committed(make_call, **fields)
        backend.refresh()
        return call

    return make


@pytest.fixture
def publish_asset(make_asset, committed, backend):
    def make(**fields):
        asset = committed(make_asset, **fields)
        backend.refresh()
        return asset

    return make
