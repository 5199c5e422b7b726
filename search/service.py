"""Discovery as a service: parameters in, labelled results out, with fallback.

Views and the API call ``discover``; it asks the configured backend and, when that
engine is unreachable, answers from the database backend with ``degraded`` set so
the page can say so plainly.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .backends import SearchUnavailable, get_backend, primary_backend_name
from .facets import FACET_NAMES, FACETS
from .types import (
    SORTS,
    Document,
    FacetBucket,
    InvalidCursor,
    SearchQuery,
    SearchResults,
    decode_cursor,
)

logger = logging.getLogger(__name__)

DEFAULT_SIZE = 20
MAX_SIZE = 50
MAX_TEXT = 200
MAX_FILTER_VALUES = 20


class InvalidParameters(ValueError):
    """Parameters we cannot honour (bad cursor, unknown sort): a 400, not a 500."""


def query_from_params(params: Mapping[str, Any], default_size: int = DEFAULT_SIZE) -> SearchQuery:
    """Read q, sort, size, after and one repeatable parameter per facet."""
    getlist = getattr(params, "getlist", None)

    def values(name: str) -> list[str]:
        raw = getlist(name) if getlist else params.get(name, [])
        raw = [raw] if isinstance(raw, str) else list(raw or [])
        return [str(v)[:200] for v in raw if str(v).strip()][:MAX_FILTER_VALUES]

    sort = str(params.get("sort") or "relevance")
    if sort not in SORTS:
        raise InvalidParameters(f"Unknown sort {sort!r}")
    try:
        size = int(params.get("size") or default_size)
    except (TypeError, ValueError) as exc:
        raise InvalidParameters("size must be a number") from exc
    size = max(1, min(size, MAX_SIZE))
    after = None
    if params.get("after"):
        try:
            after = decode_cursor(str(params.get("after")), sort)  # type: ignore[arg-type]
        except InvalidCursor as exc:
            raise InvalidParameters(str(exc)) from exc
    filters = {name: values(name) for name in FACET_NAMES if values(name)}
    text = str(params.get("q") or "").strip()[:MAX_TEXT]
    return SearchQuery(text=text, filters=filters, sort=sort, size=size, after=after)  # type: ignore[arg-type]


def run_search(query: SearchQuery) -> SearchResults:
    """Search the configured backend; fall back to the database if it is down."""
    try:
        return get_backend().search(query)
    except SearchUnavailable:
        if primary_backend_name() == "database":
            raise
        logger.warning("Search: engine unreachable, answering from the database backend")
        results = get_backend("database").search(query)
        results.degraded = True
        return results


def suggest(prefix: str, size: int = 8) -> list[str]:
    prefix = prefix.strip()[:MAX_TEXT]
    try:
        return get_backend().suggest(prefix, size)
    except SearchUnavailable:
        return get_backend("database").suggest(prefix, size)


def related(key: str, kind: str | None, size: int = 4) -> list[Document]:
    try:
        return get_backend().related(key, size=size, kind=kind)
    except SearchUnavailable:
        return get_backend("database").related(key, size=size, kind=kind)


@dataclass
class FacetView:
    name: str
    label: str
    buckets: list[Any] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)


def label_facets(results: SearchResults, query: SearchQuery) -> list[FacetView]:
    """Facets in display order, with value labels and selected flags; selected values
    stay listed even with a zero count, so they can always be removed."""
    cache: dict[str, dict[str, str]] = {}
    views = []
    for facet in FACETS:
        selected = query.filters.get(facet.name, [])
        buckets = list(results.facets.get(facet.name, []))
        present = {bucket.value for bucket in buckets}
        buckets += [FacetBucket(value, 0) for value in selected if value not in present]
        for bucket in buckets:
            bucket.label = facet.label_for(bucket.value, cache)
            bucket.selected = bucket.value in selected
        views.append(FacetView(facet.name, str(facet.label), buckets, selected))
    return views


def relaxations(query: SearchQuery) -> list[tuple[str, SearchQuery, int]]:
    """For a query without results: each filter or the words dropped, with the number of
    results that would give (shown as "no results" help)."""
    options: list[tuple[str, SearchQuery, int]] = []
    labels = {facet.name: str(facet.label) for facet in FACETS}
    for name in query.filters:
        relaxed = query.without(name)
        relaxed.size = 1
        options.append((labels.get(name, name), relaxed, run_search(relaxed).total))
    if query.text and query.filters:
        relaxed = SearchQuery(text=query.text, size=1)
        options.append(("*filters", relaxed, run_search(relaxed).total))
    if query.text:
        relaxed = SearchQuery(filters=dict(query.filters), sort=query.sort, size=1)
        options.append(("*words", relaxed, run_search(relaxed).total))
    return [option for option in options if option[2] > 0]
