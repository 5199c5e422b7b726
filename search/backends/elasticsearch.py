"""The Elasticsearch backend (also OpenSearch-compatible engines with ``SEARCH_PLAIN_JSON``).

Reads and writes go to an alias, ``<prefix>-documents``; ``reindex`` builds a new
concrete index beside it and swaps the alias in one ``update_aliases`` call, so
searches never see a half-built index. Nothing here uses point-in-time (osmem lacks
it): deep pagination is ``search_after`` on (sort value, key), which needs no state.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from elastic_transport import Urllib3HttpNode
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.dsl import Q, Search
from elasticsearch.dsl.query import Query
from elasticsearch.helpers import BulkIndexError, bulk

from ..conf import setting
from ..facets import FACET_NAMES
from ..highlight import POST, PRE, safe_fragment
from ..types import Document, FacetBucket, SearchHit, SearchQuery, SearchResults
from .base import SearchBackend, SearchUnavailable
from .elasticsearch_mapping import (
    ENGINE_ONLY_FIELDS,
    LANGUAGE_ANALYZERS,
    TEXT_FIELDS,
    engine_source,
    index_body,
    neutral_document,
)

logger = logging.getLogger(__name__)

FACET_BUCKETS = 30
SEARCH_FIELDS = [
    "title^3",
    "summary^2",
    "text",
    "tags^2",
    *(f"title_{lang}^3" for lang in LANGUAGE_ANALYZERS),
    *(f"summary_{lang}^2" for lang in LANGUAGE_ANALYZERS),
    *(f"text_{lang}" for lang in LANGUAGE_ANALYZERS),
]


class PlainJsonNode(Urllib3HttpNode):
    """Sends ``application/json`` instead of ``application/vnd.elasticsearch+json;
    compatible-with=N``, which OpenSearch-compatible engines (and osmem) answer with 406."""

    def perform_request(self, method: str, target: str, body: bytes | None = None, **kwargs: Any):  # type: ignore[override]
        headers = kwargs.get("headers")
        if headers is not None:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value and "vnd.elasticsearch+" in value:
                    headers[name] = value.split(";")[0].replace("vnd.elasticsearch+", "")
            kwargs["headers"] = headers
        return super().perform_request(method, target, body=body, **kwargs)


def make_client(url: str | None = None) -> Elasticsearch:
    options: dict[str, Any] = {
        "request_timeout": float(setting("SEARCH_TIMEOUT")),
        "max_retries": 0,  # the pending-update queue retries, not the request path
        "retry_on_timeout": False,
    }
    if setting("SEARCH_PLAIN_JSON"):
        options["node_class"] = PlainJsonNode
    if setting("SEARCH_API_KEY"):
        options["api_key"] = setting("SEARCH_API_KEY")
    elif setting("SEARCH_USERNAME"):
        options["basic_auth"] = (setting("SEARCH_USERNAME"), setting("SEARCH_PASSWORD"))
    return Elasticsearch(url or setting("SEARCH_URL"), **options)


def doc_id(key: str) -> str:
    """Elasticsearch ids are limited to 512 bytes; long keys (remote URIs) are hashed."""
    if len(key.encode()) <= 500:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _unavailable(exc: Exception) -> SearchUnavailable:
    logger.warning("Search: Elasticsearch request failed: %s", exc)
    return SearchUnavailable(str(exc))


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str | None = None, prefix: str | None = None) -> None:
        self.client = make_client(url)
        self.alias = f"{prefix or setting('SEARCH_INDEX_PREFIX')}-documents"

    # Index lifecycle -------------------------------------------------------------

    def _create_index(self, name: str) -> None:
        self.client.indices.create(index=name, body=index_body(name))

    def ensure_index(self) -> None:
        """Create the live index and alias on first use."""
        try:
            if self.client.indices.exists_alias(name=self.alias):
                return
            name = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
            self._create_index(name)
            self.client.indices.put_alias(index=name, name=self.alias)
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    def begin_rebuild(self, target: str | None = None) -> str:
        try:
            if target and self.client.indices.exists(index=target):
                return target  # resuming an interrupted rebuild
            name = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
            self._create_index(name)
            return name
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    def finish_rebuild(self, target: str) -> None:
        """Point the alias at ``target`` atomically, then drop the old indexes."""
        try:
            self.client.indices.refresh(index=target)
            old: list[str] = []
            if self.client.indices.exists_alias(name=self.alias):
                old = list(self.client.indices.get_alias(name=self.alias).body)
            actions: list[dict[str, Any]] = [
                {"remove": {"index": name, "alias": self.alias}} for name in old if name != target
            ]
            actions.append({"add": {"index": target, "alias": self.alias}})
            self.client.indices.update_aliases(actions=actions)
            for name in old:
                if name != target:
                    self.client.indices.delete(index=name)
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    def refresh(self) -> None:
        try:
            self.client.indices.refresh(index=self.alias)
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    # Writing ---------------------------------------------------------------------

    def _bulk(self, actions: list[dict[str, Any]]) -> int:
        if not actions:
            return 0
        try:
            done, _errors = bulk(self.client, actions, chunk_size=1000, max_retries=0)
        except BulkIndexError as exc:
            # Deleting what is already gone is fine; anything else must be retried.
            real = [e for e in exc.errors if e.get("delete", {}).get("status") != 404]
            if real:
                raise _unavailable(exc) from exc
            return len(actions) - len(exc.errors)
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc
        return done

    def _write_indexes(self) -> list[str]:
        """The alias, plus a rebuild in progress so it does not miss this change."""
        from ..models import ReindexRun

        targets = [self.alias]
        run = ReindexRun.objects.filter(backend=self.name, finished_at=None).last()
        if run and run.target:
            targets.append(run.target)
        return targets

    def upsert(self, documents: Iterable[Document]) -> int:
        documents = list(documents)
        self.ensure_index()
        written = 0
        for index in self._write_indexes():
            written = self.upsert_into(index, documents)
        return written

    def upsert_into(self, target: str, documents: Iterable[Document]) -> int:
        return self._bulk(
            [
                {"_index": target, "_id": doc_id(d["key"]), "_source": engine_source(d)}
                for d in documents
            ]
        )

    def delete(self, keys: Iterable[str]) -> int:
        keys = list(keys)
        self.ensure_index()
        deleted = 0
        for index in self._write_indexes():
            deleted = self._bulk(
                [{"_op_type": "delete", "_index": index, "_id": doc_id(k)} for k in keys]
            )
        return deleted

    def keys(self) -> set[str]:
        self.ensure_index()
        keys: set[str] = set()
        after: list[Any] | None = None
        try:
            while True:
                search = (
                    Search(using=self.client, index=self.alias)
                    .source(["key"])
                    .sort("key")
                    .extra(size=1000)
                )
                if after:
                    search = search.extra(search_after=after)
                hits = search.execute().hits
                if not hits:
                    return keys
                keys.update(hit.key for hit in hits)
                after = list(hits[-1].meta.sort)
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    # Searching -------------------------------------------------------------------

    @staticmethod
    def _filter_queries(filters: dict[str, list[str]], skip: str | None = None) -> list[Query]:
        return [
            Q("terms", **{name: values})
            for name, values in sorted(filters.items())
            if values and name != skip
        ]

    def search_request(self, query: SearchQuery) -> Search:
        """The request ``search`` sends (the benchmark times its parts separately).

        Filters are in the query's filter context: they decide what matches without
        scoring, and the engine ranks, counts and aggregates only what passes all of
        them. Facets not filtered on are plain ``terms`` aggregations over those
        matches. A filtered facet is counted without its own filter (OR within a
        facet, AND across): a ``global`` aggregation re-applies the words and the
        other filters. So each filter is evaluated at most once per filtered facet,
        not once per facet as a ``filter`` aggregation per facet would.
        """
        search = Search(using=self.client, index=self.alias)
        words: Query | None = None
        if query.text.strip():
            words = Q(
                "simple_query_string",
                query=query.text,
                fields=SEARCH_FIELDS,
                default_operator="and",
            )
        scored = words
        if words is not None and query.sort == "relevance" and query.after is not None:
            # Later pages compare scores rounded to 6 decimals, as the cursor holds
            # them: engines that print scores with less precision than they compare
            # them (osmem) would otherwise repeat or skip hits. Scores closer than
            # 1e-6 are ties, ordered by key. The first page, by far the most asked
            # for, needs no script.
            scored = Q(
                "script_score",
                query=words,
                script={"source": "Math.round(_score * 1000000.0) / 1000000.0"},
            )
        filters = self._filter_queries(query.filters)
        search = search.query(
            Q("bool", must=[scored] if scored is not None else [], filter=filters)
        )
        filtered = [name for name in FACET_NAMES if query.filters.get(name)]
        for name in FACET_NAMES:
            if name not in filtered:
                search.aggs.bucket(name, "terms", field=name, size=FACET_BUCKETS)
        if filtered:
            others = search.aggs.bucket("filtered_facets", "global")
            for name in filtered:
                scope = Q(
                    "bool",
                    must=[words] if words is not None else [],
                    filter=self._filter_queries(query.filters, skip=name),
                )
                others.bucket(name, "filter", scope).bucket(
                    "values", "terms", field=name, size=FACET_BUCKETS
                )
        search = search.sort(*self._sort(query))
        search = search.highlight_options(pre_tags=[PRE], post_tags=[POST])
        for name in TEXT_FIELDS:
            options = (
                {"number_of_fragments": 1, "fragment_size": 200}
                if name == "text"
                else {"number_of_fragments": 0}
            )
            search = search.highlight(
                name, *(f"{name}_{lang}" for lang in LANGUAGE_ANALYZERS), **options
            )
        # The language copies and completion inputs are for the engine only.
        search = search.source(excludes=sorted(ENGINE_ONLY_FIELDS))
        search = search.extra(size=query.size + 1, track_total_hits=True)
        if query.after is not None:
            search = search.extra(search_after=query.after)
        return search

    def search(self, query: SearchQuery) -> SearchResults:
        self.ensure_index()
        search = self.search_request(query)
        try:
            response = search.execute()
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc
        raw = response.to_dict()
        hits = [self._hit(hit) for hit in raw["hits"]["hits"][: query.size]]
        next_after = None
        if len(raw["hits"]["hits"]) > query.size:
            last = raw["hits"]["hits"][query.size - 1]
            next_after = list(last["sort"])
            if query.sort == "relevance":
                next_after[0] = round(float(next_after[0]), 6)
        aggregations = raw.get("aggregations", {})
        filtered = aggregations.get("filtered_facets", {})
        facets = {
            name: [
                FacetBucket(str(b["key"]), int(b["doc_count"]))
                for b in (
                    filtered[name]["values"] if name in filtered else aggregations.get(name, {})
                ).get("buckets", [])
            ]
            for name in FACET_NAMES
        }
        total = raw["hits"]["total"]
        total = total["value"] if isinstance(total, dict) else int(total)
        return SearchResults(hits, total, facets, next_after, backend=self.name)

    @staticmethod
    def _sort(query: SearchQuery) -> list[Any]:
        if query.sort == "deadline":
            return [{"sort_deadline": "asc"}, {"key": "asc"}]
        if query.sort == "newest":
            return [{"sort_published": "desc"}, {"key": "asc"}]
        return [{"_score": "desc"}, {"key": "asc"}]

    @staticmethod
    def _hit(hit: dict[str, Any]) -> SearchHit:
        highlights: dict[str, str] = {}
        for name, fragments in (hit.get("highlight") or {}).items():
            base = name.split("_")[0] if name.split("_")[-1] in LANGUAGE_ANALYZERS else name
            if fragments and base not in highlights:
                highlights[base] = safe_fragment(fragments[0])
        document = neutral_document(hit["_source"])
        return SearchHit(document["key"], document, highlights, float(hit.get("_score") or 0.0))

    def suggest(self, prefix: str, size: int = 8) -> list[str]:
        if not prefix.strip():
            return []
        self.ensure_index()
        search = Search(using=self.client, index=self.alias).suggest(
            "titles", prefix.strip(), completion={"field": "suggest", "size": size * 2}
        )
        search = search.extra(size=0)
        try:
            raw = search.execute().to_dict()
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc
        titles: list[str] = []
        for entry in raw.get("suggest", {}).get("titles", []):
            for option in entry.get("options", []):
                title = (option.get("_source") or {}).get("title") or option.get("text", "")
                if title and title not in titles:
                    titles.append(title)
        return titles[:size]

    def related(self, key: str, size: int = 4, kind: str | None = None) -> list[Document]:
        self.ensure_index()
        try:
            try:
                source = self.client.get(index=self.alias, id=doc_id(key)).body["_source"]
            except NotFoundError:
                return []
            should = [
                Q(
                    "more_like_this",
                    fields=["title", "summary", "text"],
                    like=[{"_index": self.alias, "_id": doc_id(key)}],
                    min_term_freq=1,
                    min_doc_freq=1,
                ),
            ]
            for name in ("sector", "life_event", "tags"):
                if source.get(name):
                    should.append(Q("terms", **{name: source[name]}, boost=2.0))
            query = Q(
                "bool",
                should=should,
                minimum_should_match=1,
                must_not=[Q("ids", values=[doc_id(key)])],
                filter=[Q("term", kind=kind)] if kind else [],
            )
            response = Search(using=self.client, index=self.alias).query(query).extra(size=size)
            raw = response.execute().to_dict()
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc
        return [neutral_document(hit["_source"]) for hit in raw["hits"]["hits"]]
