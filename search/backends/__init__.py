"""Choosing a backend: Elasticsearch when ``SEARCH_URL`` is set, else the database.

The database backend is always kept up to date too: it is what searches fall back to
when the engine is unreachable.
"""

from __future__ import annotations

from .base import SearchBackend, SearchTooSlow, SearchUnavailable
from .database import DatabaseBackend

__all__ = [
    "SearchBackend",
    "SearchTooSlow",
    "SearchUnavailable",
    "get_backend",
    "index_backends",
    "primary_backend_name",
]


def primary_backend_name() -> str:
    from ..conf import setting

    return "elasticsearch" if setting("SEARCH_URL") else "database"


def get_backend(name: str | None = None) -> SearchBackend:
    name = name or primary_backend_name()
    if name == "elasticsearch":
        from .elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend()
    if name == "database":
        return DatabaseBackend()
    raise ValueError(f"Unknown search backend {name!r}")


def index_backends() -> list[str]:
    """Every backend that index updates go to (the fallback first)."""
    names = ["database"]
    if primary_backend_name() != "database":
        names.append(primary_backend_name())
    return names
