"""Search settings with their defaults; read at call time so tests can override them.

- ``SEARCH_URL``: Elasticsearch (or API-compatible engine) URL; empty keeps the
  database backend only. Credentials may be in the URL or in ``SEARCH_USERNAME`` /
  ``SEARCH_PASSWORD`` (or ``SEARCH_API_KEY``).
- ``SEARCH_INDEX_PREFIX``: prefix of this node's index and alias on a shared cluster.
- ``SEARCH_PLAIN_JSON``: send plain ``application/json`` instead of the client's
  ``compatible-with`` media types, for engines that refuse them (OpenSearch, osmem).
- ``SEARCH_TIMEOUT``: seconds before a request to the engine counts as a failure.
- ``SEARCH_RETRY_SECONDS``: after a failure, how long searches skip the engine (the
  circuit breaker, ``interlink_search.breaker``) and when the task retries waiting updates.
- ``SEARCH_CA_CERTS``: path of a CA bundle that signed the engine's certificate (empty:
  the system's trust store); ``SEARCH_VERIFY_CERTS``: False only for a test engine with a
  self-signed certificate, never in production.
- ``SEARCH_SIDE_CONNECTIONS``: on PostgreSQL, how many extra connections per process
  the database backend may keep to run a search's two statements in parallel
  (``interlink_search.backends.side_queries``); 0 runs them one after the other.
- ``SEARCH_DATABASE_TIMEOUT``: seconds a database search statement may run before it
  is stopped (the page then says the search took too long; a related-items section is
  left out). Searches at 100,000 entries take tens of milliseconds.
- ``SEARCH_RATE_LIMITS``: requests per anonymous client address (``"N/min"``, DRF's
  notation) for the discovery API, the discovery page and its suggestions; over it, a
  429 with ``Retry-After`` (``interlink_search.throttles``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "SEARCH_URL": "",
    "SEARCH_INDEX_PREFIX": "interlink",
    "SEARCH_PLAIN_JSON": False,
    "SEARCH_USERNAME": "",
    "SEARCH_PASSWORD": "",
    "SEARCH_API_KEY": "",
    "SEARCH_TIMEOUT": 5.0,
    "SEARCH_RETRY_SECONDS": 60,
    "SEARCH_CA_CERTS": "",
    "SEARCH_VERIFY_CERTS": True,
    "SEARCH_SIDE_CONNECTIONS": 2,
    "SEARCH_DATABASE_TIMEOUT": 5.0,
    # Typing fires a suggestion request after each pause, so its budget is the largest.
    "SEARCH_RATE_LIMITS": {"api": "60/min", "page": "120/min", "suggest": "300/min"},
}


def setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])


def database_timeout_ms() -> int:
    """``SEARCH_DATABASE_TIMEOUT`` in whole milliseconds (at least 1: 0 would mean none
    to PostgreSQL)."""
    return max(1, round(float(setting("SEARCH_DATABASE_TIMEOUT")) * 1000))
