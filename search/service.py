"""Discovery as a service: parameters in, labelled results out, with fallback.

Views and the API call ``run_search``; it asks the configured backend and, when that
engine is unreachable, answers from the database backend with ``degraded`` set so
the page can say so plainly. A circuit breaker (``interlink_search.breaker``) stops requests
from waiting on an engine that just failed: they go to the database backend at once
until one request per ``SEARCH_RETRY_SECONDS`` finds the engine back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.utils.translation import get_language

from . import breaker
from .backends import (
    SearchBackend,
    SearchTooSlow,
    SearchUnavailable,
    get_backend,
    primary_backend_name,
)
from .documents import language_tag, site_languages
from .facets import FACET_NAMES, FACETS
from .health import SEARCH_SECONDS
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

T = TypeVar("T")

DEFAULT_SIZE = 20
MAX_SIZE = 50
MAX_TEXT = 200
MAX_FILTER_VALUES = 20


class InvalidParameters(ValueError):
    """Parameters we cannot honour (bad cursor, unknown sort): a 400, not a 500."""


def request_language() -> str:
    """The site language results are shown in (the active language, else the default)."""
    from django.conf import settings

    languages = site_languages()
    code = language_tag(get_language() or "")
    if code in languages:
        return code
    return language_tag(settings.LANGUAGE_CODE) or (languages[0] if languages else "")


def query_from_params(params: Mapping[str, Any], default_size: int = DEFAULT_SIZE) -> SearchQuery:
    """Read q, sort, size, after and one repeatable parameter per facet; results are
    for the active language (one copy per translated page)."""
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
    return SearchQuery(
        text=text,
        filters=filters,
        sort=sort,  # type: ignore[arg-type]
        size=size,
        after=after,
        language=request_language(),
    )


def _answer(call: Callable[[SearchBackend], T]) -> tuple[T, bool]:
    """``call`` on the configured backend, else on the database backend; returns the
    answer and whether it is the fallback's (the engine is down or just failed), timed
    for ``/metrics`` (``interlink_search.health.SEARCH_SECONDS``)."""
    started = time.perf_counter()
    answer, degraded = _call(call)
    answered_by = "fallback" if degraded else primary_backend_name()
    SEARCH_SECONDS.labels(answered_by).observe(time.perf_counter() - started)
    return answer, degraded


def _call(call: Callable[[SearchBackend], T]) -> tuple[T, bool]:
    if primary_backend_name() == "database":
        return call(get_backend("database")), False
    if breaker.allow():
        try:
            answer = call(get_backend())
        except SearchUnavailable:
            breaker.record_failure()
            logger.warning("Search: engine unreachable, answering from the database backend")
        else:
            breaker.record_success()
            return answer, False
    return call(get_backend("database")), True


def run_search(query: SearchQuery) -> SearchResults:
    """Search the configured backend; fall back to the database if it is down."""
    results, degraded = _answer(lambda backend: backend.search(query))
    results.degraded = degraded
    return results


def suggest(prefix: str, size: int = 8) -> list[str]:
    """Title completions; none when the search took too long (the box works without)."""
    prefix = prefix.strip()[:MAX_TEXT]
    language = request_language()
    try:
        titles, _degraded = _answer(lambda backend: backend.suggest(prefix, size, language))
    except SearchTooSlow:
        logger.warning("Search: suggestions for %r took too long", prefix, exc_info=True)
        return []
    return titles


def related(key: str, kind: str | None, size: int = 4) -> list[Document]:
    """Related items of ``key``; none when the search took too long (the page is served
    without the section)."""
    language = request_language()
    try:
        items, _degraded = _answer(
            lambda backend: backend.related(key, size=size, kind=kind, language=language)
        )
    except SearchTooSlow:
        logger.warning("Search: related items of %s took too long", key, exc_info=True)
        return []
    return items


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
    """For a query without results: each filter dropped, every filter dropped and (with
    filters) the words dropped, with the number of results each would give (the "no
    results" help). All counts come from one request."""
    options: list[tuple[str, SearchQuery]] = []
    labels = {facet.name: str(facet.label) for facet in FACETS}
    for name in query.filters:
        options.append((labels.get(name, name), query.without(name)))
    if query.text and query.filters:
        size, language = query.size, query.language
        words_only = SearchQuery(text=query.text, size=size, language=language)
        filters_only = SearchQuery(
            filters=dict(query.filters), sort=query.sort, size=size, language=language
        )
        options += [("*filters", words_only), ("*words", filters_only)]
    if not options:
        return []
    totals, _degraded = _answer(lambda backend: backend.count([q for _l, q in options]))
    return [
        (label, relaxed, total)
        for (label, relaxed), total in zip(options, totals, strict=True)
        if total > 0
    ]
