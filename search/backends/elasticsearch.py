"""The Elasticsearch backend (also OpenSearch-compatible engines with ``SEARCH_PLAIN_JSON``).

Reads and writes go to an alias, ``<prefix>-documents``; ``reindex`` builds a new
concrete index beside it and swaps the alias in one ``update_aliases`` call, so
searches never see a half-built index, and refuses to swap unless the new index holds
exactly what was written into it. Nothing here uses point-in-time (osmem lacks it):
deep pagination is ``search_after`` on (sort value, key), which needs no state.

One engine call per request where the API allows: a search and its filtered facets'
counts go in one ``_msearch`` with the title completions (``suggest``), the "no
results" counts in another, and related
items are one query (terms lookups read the item's sectors inside the engine). Reads
never check that the index exists first: a missing index answers as an empty one.
Clients are kept per process, so requests reuse their HTTP connections.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.utils import timezone
from elastic_transport import Urllib3HttpNode
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.dsl import Q, Search
from elasticsearch.dsl.query import Query
from elasticsearch.helpers import streaming_bulk

from ..conf import setting
from ..documents import NO_DEADLINE
from ..facets import FACET_NAMES
from ..highlight import POST, PRE, safe_fragment
from ..types import (
    DEADLINE_NONE,
    DEADLINE_PAST,
    DEADLINE_UPCOMING,
    Document,
    FacetBucket,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from .base import RebuildIncomplete, SearchBackend, SearchUnavailable
from .elasticsearch_mapping import (
    ENGINE_ONLY_FIELDS,
    LANGUAGE_ANALYZERS,
    PROBE_WORDS,
    TEXT_FIELDS,
    Fallback,
    engine_source,
    index_body,
    neutral_document,
)

logger = logging.getLogger(__name__)

FACET_BUCKETS = 30
# Documents per bulk request: about 3 MB of JSON at our documents' size, within the
# 5-15 MB Elasticsearch suggests, and small enough for a slow engine's timeout.
BULK_CHUNK = 500
SUGGEST_SIZE = 8
SEARCH_FIELDS = [
    "title^3",
    "summary^2",
    "text",
    "tags^2",
    *(f"title_{lang}^3" for lang in LANGUAGE_ANALYZERS),
    *(f"summary_{lang}^2" for lang in LANGUAGE_ANALYZERS),
    *(f"text_{lang}" for lang in LANGUAGE_ANALYZERS),
]
RELATED_FIELDS = ("sector", "life_event", "tags")
# "Deadline, soonest first" scores each match by its deadline bucket, then sorts by
# (score, deadline, key): the score of a bucket and back.
_BUCKET_SCORES = {DEADLINE_UPCOMING: 3, DEADLINE_PAST: 2, DEADLINE_NONE: 1}


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


_clients: dict[tuple[Any, ...], Elasticsearch] = {}
_clients_lock = threading.Lock()


def client_options(url: str) -> dict[str, Any]:
    """The client's constructor options, from the ``SEARCH_*`` settings."""
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
    if url.startswith("https:"):  # the client refuses TLS options for plain http
        if setting("SEARCH_CA_CERTS"):
            options["ca_certs"] = setting("SEARCH_CA_CERTS")
        options["verify_certs"] = bool(setting("SEARCH_VERIFY_CERTS"))
    return options


def make_client(url: str | None = None) -> Elasticsearch:
    """A client for ``url`` (default ``SEARCH_URL``), one per process and configuration,
    so requests reuse connections instead of opening one each."""
    url = url or setting("SEARCH_URL")
    if not url:
        raise ValueError("SEARCH_URL is not set: there is no Elasticsearch to talk to")
    options = client_options(url)
    key = (url, *sorted((name, repr(value)) for name, value in options.items()))
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = Elasticsearch(url, **options)
        return client


def doc_id(key: str) -> str:
    """Elasticsearch ids are limited to 512 bytes; long keys (remote URIs) are hashed."""
    if len(key.encode()) <= 500:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _unavailable(exc: Exception) -> SearchUnavailable:
    logger.warning("Search: Elasticsearch request failed: %s", exc)
    return SearchUnavailable(str(exc))


def _status(exc: ApiError) -> int:
    return int(getattr(exc, "status_code", 0) or getattr(getattr(exc, "meta", None), "status", 0))


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str | None = None, prefix: str | None = None) -> None:
        self.client = make_client(url)
        self.alias = f"{prefix or setting('SEARCH_INDEX_PREFIX')}-documents"

    # Index lifecycle -------------------------------------------------------------

    def _failing_analyzers(self, index: str) -> list[str]:
        """Languages whose analyzer the engine refuses, or turns a query word into no
        term with (which would match every document)."""
        failing = []
        for lang, word in PROBE_WORDS.items():
            try:
                tokens = self.client.indices.analyze(
                    index=index, analyzer=f"il_{lang}", text=word
                ).body.get("tokens")
            except ApiError as exc:
                if _status(exc) != 400:
                    raise
                failing.append(lang)
                continue
            if not tokens:
                failing.append(lang)
                continue
            try:
                explained = self.client.indices.validate_query(
                    index=index, query={"match": {f"title_{lang}": word}}, explain=True
                ).body
            except ApiError:
                continue  # no validate API: trust _analyze
            text = " ".join(
                str(e.get("explanation", "")) for e in explained.get("explanations", [])
            )
            if text and not re.search(rf"title_{lang}:\w", text):
                failing.append(lang)
        return failing

    def _create_index(self, name: str, bulk: bool = False) -> None:
        """Create ``name`` with our analyzers, falling back per language (see
        ``elasticsearch_mapping``) where the engine refuses or mis-applies one."""
        fallbacks: dict[str, Fallback] = {}
        while True:
            self.client.indices.create(index=name, body=index_body(name, fallbacks, bulk))
            failing = [
                lang
                for lang in self._failing_analyzers(name)
                if fallbacks.get(lang, Fallback.CUSTOM) < Fallback.FOLDING
            ]
            if not failing:
                return
            self.client.indices.delete(index=name)
            for lang in failing:
                fallbacks[lang] = Fallback(fallbacks.get(lang, Fallback.CUSTOM) + 1)
                logger.warning(
                    "Search: the engine refused or mis-applied the analyzer for language "
                    "%r of %s; using %s analysis for that language",
                    lang,
                    name,
                    fallbacks[lang].name.lower().replace("_", "-"),
                )

    def ensure_index(self) -> None:
        """Create the live index and alias on first write."""
        try:
            if self.client.indices.exists_alias(name=self.alias):
                return
            name = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
            self._create_index(name)
            self.client.indices.put_alias(index=name, name=self.alias)
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    def rebuild_target_exists(self, target: str) -> bool:
        try:
            return bool(self.client.indices.exists(index=target))
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    def begin_rebuild(self, target: str | None = None) -> str:
        try:
            if target and self.client.indices.exists(index=target):
                return target  # resuming an interrupted rebuild
            name = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
            # No periodic refreshes while bulk-loading; ``finish_rebuild`` restores them.
            self._create_index(name, bulk=True)
            return name
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    def finish_rebuild(self, target: str, expected: int | None = None) -> None:
        """Point the alias at ``target`` atomically, then drop the old indexes; refuse
        (``RebuildIncomplete``) if ``target`` does not hold ``expected`` documents."""
        try:
            self.client.indices.put_settings(
                index=target, settings={"index": {"refresh_interval": None}}
            )
            self.client.indices.refresh(index=target)
            if expected is not None:
                found = int(self.client.count(index=target).body["count"])
                if found != expected:
                    raise RebuildIncomplete(
                        f"{target} holds {found} documents but {expected} were written; "
                        "the live index was left alone (run reindex --restart)"
                    )
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
        except NotFoundError:
            return
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    # Writing ---------------------------------------------------------------------

    def _bulk(self, actions: list[dict[str, Any]]) -> int:
        """Send ``actions`` in chunks; returns how many succeeded. What each write
        did to a rebuild target (created or deleted a document) is added to its run's
        ``written``, the count ``finish_rebuild`` checks the target against."""
        if not actions:
            return 0
        done = 0
        net: dict[str, int] = defaultdict(int)
        errors: list[dict[str, Any]] = []
        try:
            for ok, item in streaming_bulk(
                self.client,
                actions,
                chunk_size=BULK_CHUNK,
                max_retries=0,
                raise_on_error=False,
            ):
                operation, result = next(iter(item.items()))
                if ok:
                    done += 1
                    change = {"created": 1, "deleted": -1}.get(result.get("result"), 0)
                    if change:
                        net[result.get("_index", "")] += change
                elif not (operation == "delete" and result.get("status") == 404):
                    errors.append(item)  # deleting what is already gone is fine
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc
        finally:
            self._count_written(net)
        if errors:
            raise _unavailable(RuntimeError(f"{len(errors)} bulk errors, first: {errors[0]}"))
        return done

    def _count_written(self, net: dict[str, int]) -> None:
        from ..models import ReindexRun

        for index, change in net.items():
            if change:
                ReindexRun.objects.filter(backend=self.name, target=index, finished_at=None).update(
                    written=F("written") + change
                )

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
        except NotFoundError:
            return keys
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

    @staticmethod
    def _hidden(language: str) -> list[Query]:
        """Copies of a page shown in another copy's place in ``language``."""
        return [Q("term", hidden_in=language)] if language else []

    @staticmethod
    def _words(text: str) -> Query | None:
        if not text.strip():
            return None
        return Q("simple_query_string", query=text, fields=SEARCH_FIELDS, default_operator="and")

    def _scope(self, query: SearchQuery, words: Query | None, skip: str | None = None) -> Query:
        return Q(
            "bool",
            must=[words] if words is not None else [],
            filter=self._filter_queries(query.filters, skip=skip),
            must_not=self._hidden(query.language),
        )

    @staticmethod
    def _deadline_scored(query: Query) -> Query:
        """``query`` scored by deadline bucket (upcoming 3, past 2, none 1)."""
        today = timezone.localdate().isoformat()
        return Q(
            "function_score",
            query=query,
            functions=[
                {
                    "filter": Q("range", sort_deadline={"gte": today, "lt": NO_DEADLINE}),
                    "weight": _BUCKET_SCORES[DEADLINE_UPCOMING],
                },
                {
                    "filter": Q("range", sort_deadline={"lt": today}),
                    "weight": _BUCKET_SCORES[DEADLINE_PAST],
                },
                {
                    "filter": Q("term", sort_deadline=NO_DEADLINE),
                    "weight": _BUCKET_SCORES[DEADLINE_NONE],
                },
            ],
            score_mode="first",
            boost_mode="replace",
        )

    def search_request(self, query: SearchQuery) -> Search:
        """The main search ``search`` sends (the benchmark times its parts separately).

        Filters are in the query's filter context: they decide what matches without
        scoring, and the engine ranks, counts and aggregates only what passes all of
        them. Facets not filtered on are plain ``terms`` aggregations over those
        matches. A filtered facet is counted without its own filter (OR within a
        facet, AND across) by a search of its own (``facet_requests``), sent with this
        one in a single ``_msearch``.
        """
        search = Search(using=self.client, index=self.alias)
        words = self._words(query.text)
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
        main = self._scope(query, scored)
        if query.sort == "deadline":
            main = self._deadline_scored(main)
        search = search.query(main)
        for name in FACET_NAMES:
            if not query.filters.get(name):
                search.aggs.bucket(name, "terms", field=name, size=FACET_BUCKETS)
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
        if query.suggest and query.text.strip():
            search = search.suggest(
                "titles",
                query.text.strip(),
                completion={"field": "suggest", "size": SUGGEST_SIZE * 2},
            )
        # The language copies and completion inputs are for the engine only.
        search = search.source(excludes=sorted(ENGINE_ONLY_FIELDS))
        search = search.extra(size=query.size + 1, track_total_hits=True)
        if query.after is not None:
            after = list(query.after)
            if query.sort == "deadline":
                after[0] = _BUCKET_SCORES[int(after[0])]
            search = search.extra(search_after=after)
        return search

    def facet_requests(self, query: SearchQuery) -> list[tuple[str, dict[str, Any]]]:
        """One size-0 search per filtered facet: its values counted over the matches of
        the words and every *other* filter.

        These used to be ``filter`` aggregations under one ``global`` aggregation of the
        main search, which made the engine walk the whole index and test each filter
        per document (osmem spent more than half of a faceted query there); as
        searches of their own, the engine answers them from its index like any query.
        """
        words = self._words(query.text)
        return [
            (
                name,
                {
                    "size": 0,
                    "query": self._scope(query, words, skip=name).to_dict(),
                    "aggs": {"values": {"terms": {"field": name, "size": FACET_BUCKETS}}},
                },
            )
            for name in FACET_NAMES
            if query.filters.get(name)
        ]

    def _msearch(self, bodies: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        """Responses of ``bodies`` sent as one ``_msearch``; None for a missing index."""
        searches: list[dict[str, Any]] = []
        for body in bodies:
            searches += [{"index": self.alias}, body]
        try:
            responses = self.client.msearch(searches=searches).body["responses"]
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc
        answers: list[dict[str, Any] | None] = []
        for response in responses:
            if "error" in response:
                if response.get("status") == 404:  # nothing was ever indexed
                    answers.append(None)
                    continue
                raise _unavailable(RuntimeError(str(response["error"])))
            answers.append(response)
        return answers

    def search(self, query: SearchQuery) -> SearchResults:
        """One engine call: the main search and each filtered facet's, in one _msearch."""
        facet_requests = self.facet_requests(query)
        raw, *facet_answers = self._msearch(
            [self.search_request(query).to_dict(), *(body for _name, body in facet_requests)]
        )
        if raw is None:
            return SearchResults([], 0, {name: [] for name in FACET_NAMES}, backend=self.name)
        hits = [self._hit(hit) for hit in raw["hits"]["hits"][: query.size]]
        next_after = None
        if len(raw["hits"]["hits"]) > query.size:
            last = raw["hits"]["hits"][query.size - 1]
            next_after = list(last["sort"])
            if query.sort == "relevance":
                next_after[0] = round(float(next_after[0]), 6)
            elif query.sort == "deadline":
                scores = {score: bucket for bucket, score in _BUCKET_SCORES.items()}
                next_after[0] = scores[round(float(next_after[0]))]
        aggregations = dict(raw.get("aggregations", {}))
        for (name, _body), answer in zip(facet_requests, facet_answers, strict=True):
            aggregations[name] = (answer or {}).get("aggregations", {}).get("values", {})
        facets = {
            name: [
                FacetBucket(str(b["key"]), int(b["doc_count"]))
                for b in aggregations.get(name, {}).get("buckets", [])
            ]
            for name in FACET_NAMES
        }
        total = raw["hits"]["total"]
        total = total["value"] if isinstance(total, dict) else int(total)
        return SearchResults(
            hits,
            total,
            facets,
            next_after,
            backend=self.name,
            suggestions=self._suggestions(raw, query.language),
        )

    def count(self, queries: list[SearchQuery]) -> list[int]:
        """Totals of several queries in one ``_msearch``."""
        if not queries:
            return []
        answers = self._msearch(
            [
                {
                    "query": self._scope(query, self._words(query.text)).to_dict(),
                    "size": 0,
                    "track_total_hits": True,
                }
                for query in queries
            ]
        )
        totals = []
        for answer in answers:
            total = answer["hits"]["total"] if answer else 0
            totals.append(total["value"] if isinstance(total, dict) else int(total))
        return totals

    @staticmethod
    def _sort(query: SearchQuery) -> list[Any]:
        if query.sort == "deadline":
            return [{"_score": "desc"}, {"sort_deadline": "asc"}, {"key": "asc"}]
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

    @staticmethod
    def _suggestions(raw: dict[str, Any], language: str, size: int = SUGGEST_SIZE) -> list[str]:
        """Distinct titles from a response's completions, leaving out copies of a page
        that another copy stands for in ``language``."""
        titles: list[str] = []
        for entry in raw.get("suggest", {}).get("titles", []):
            for option in entry.get("options", []):
                source = option.get("_source") or {}
                if language and language in (source.get("hidden_in") or []):
                    continue
                title = source.get("title") or option.get("text", "")
                if title and title not in titles:
                    titles.append(title)
        return titles[:size]

    def suggest(self, prefix: str, size: int = SUGGEST_SIZE, language: str = "") -> list[str]:
        if not prefix.strip():
            return []
        search = Search(using=self.client, index=self.alias).suggest(
            "titles", prefix.strip(), completion={"field": "suggest", "size": size * 2}
        )
        search = search.source(["title", "hidden_in"]).extra(size=0)
        try:
            raw = search.execute().to_dict()
        except NotFoundError:
            return []
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc
        return self._suggestions(raw, language, size)

    def related(
        self, key: str, size: int = 4, kind: str | None = None, language: str = ""
    ) -> list[Document]:
        """One query: words like the item's (``more_like_this``) or its sectors, life
        events and tags, read from the item inside the engine (terms lookups); never
        the item or its translations (same ``group``)."""
        item = doc_id(key)

        def lookup(field: str, boost: float | None = None) -> Query:
            terms = {"index": self.alias, "id": item, "path": field}
            return Q("terms", **{field: terms}, **({"boost": boost} if boost else {}))

        should = [
            Q(
                "more_like_this",
                fields=["title", "summary", "text"],
                like=[{"_index": self.alias, "_id": item}],
                min_term_freq=1,
                min_doc_freq=1,
            ),
            *(lookup(name, boost=2.0) for name in RELATED_FIELDS),
        ]
        query = Q(
            "bool",
            should=should,
            minimum_should_match=1,
            must_not=[Q("ids", values=[item]), lookup("group"), *self._hidden(language)],
            filter=[Q("term", kind=kind)] if kind else [],
        )
        search = Search(using=self.client, index=self.alias).query(query)
        search = search.source(excludes=sorted(ENGINE_ONLY_FIELDS)).extra(size=size)
        try:
            raw = search.execute().to_dict()
        except NotFoundError:
            return []
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc
        return [neutral_document(hit["_source"]) for hit in raw["hits"]["hits"]]
