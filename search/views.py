"""The public discovery page and its suggestion endpoint (thin: see ``interlink_search.service``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import service
from .backends import SearchTooSlow
from .facets import FACET_NAMES
from .throttles import PageThrottle, SuggestThrottle, refused
from .types import SearchQuery, encode_cursor


def query_string(query: SearchQuery, **changes: Any) -> str:
    """The GET query string of ``query`` with ``changes`` applied (for links)."""
    from django.http import QueryDict

    params = QueryDict(mutable=True)
    text = changes.get("q", query.text)
    if text:
        params["q"] = text
    filters = changes.get("filters", query.filters)
    for name in FACET_NAMES:
        for value in filters.get(name, []):
            params.appendlist(name, value)
    sort = changes.get("sort", query.sort)
    if sort != "relevance":
        params["sort"] = sort
    if query.size != service.DEFAULT_SIZE:
        params["size"] = str(query.size)
    after = changes.get("after")
    if after is not None:
        params["after"] = encode_cursor(after)
    return params.urlencode()


def _toggle(query: SearchQuery, name: str, value: str) -> str:
    filters = {key: list(values) for key, values in query.filters.items()}
    values = filters.setdefault(name, [])
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return query_string(query, filters=filters)


@require_GET
def discover(request: HttpRequest) -> HttpResponse:
    wait = refused(request, PageThrottle)
    if wait is not None:
        response = render(
            request,
            "interlink_search/discover.html",
            {"busy": True, "query": SearchQuery()},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    try:
        query = service.query_from_params(request.GET)
    except service.InvalidParameters as exc:
        return render(
            request,
            "interlink_search/discover.html",
            {"error": str(exc), "query": SearchQuery()},
            status=400,
        )
    try:
        context = _results_context(query)
    except SearchTooSlow:  # the search box stays filled in, to try again or refine
        context, status = {"slow": True, "query": query}, 503
    else:
        status = 200
    return render(request, "interlink_search/discover.html", context, status=status)


def _results_context(query: SearchQuery) -> dict[str, Any]:
    # One engine call: the results carry the title completions of the words.
    query.suggest = bool(query.text)
    results = service.run_search(query)
    facets = service.label_facets(results, query)
    for facet in facets:
        for bucket in facet.buckets:
            bucket.url = "?" + _toggle(query, facet.name, bucket.value)
    context: dict[str, Any] = {
        "query": query,
        "results": results,
        "facets": facets,
        "active_filters": [
            (facet, bucket) for facet in facets for bucket in facet.buckets if bucket.selected
        ],
        "next_url": "?" + query_string(query, after=results.next_after)
        if results.next_after
        else None,
        "first_url": "?" + query_string(query) if query.after else None,
        "sort_urls": {sort: "?" + query_string(query, sort=sort) for sort in service.SORTS},
        "suggestions": results.suggestions,
        "relaxations": [],
    }
    if results.total == 0 and (query.text or query.filters):
        context["relaxations"] = [
            {"label": label, "url": "?" + query_string(relaxed), "count": count}
            for label, relaxed, count in service.relaxations(query)
        ]
    return context


@require_GET
def suggestions(request: HttpRequest) -> JsonResponse:
    """Titles completing ``q`` (the discovery page's script fills a <datalist>)."""
    prefix = request.GET.get("q", "")
    if not prefix.strip():
        return JsonResponse({"suggestions": []})
    wait = refused(request, SuggestThrottle)
    if wait is not None:  # the search box works on without suggestions
        response = JsonResponse({"suggestions": []}, status=429)
        response["Retry-After"] = str(wait)
        return response
    return JsonResponse({"suggestions": service.suggest(prefix)})
