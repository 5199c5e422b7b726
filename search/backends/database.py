"""The database backend: the embedded default, and the fallback when the engine is down.

Text is analysed in Python (``interlink_search.analysis``) into ``IndexEntry.terms``; facet values
become integer codes (``FacetValue``), written as tokens ("f<code>") in
``IndexEntry.facet_terms``. Full text indexes both, so a query's
words *and* its filters are one posting-list intersection: on PostgreSQL two stored
tsvector columns with GIN indexes (``terms_tsv``, ``facets_tsv``), ranked by
``ts_rank`` over the words only; on SQLite an FTS5 table with the columns ``terms`` and
``facet_terms`` (and ``suggest``, the title words for suggestions), ranked by ``bm25``
with weight 0 on the facet column.

Only the matches that pass every filter are ranked; only the returned page's documents
are read and highlighted. Facet counts and the total come from the ids that match the
words, read once and ANDed with per-process bitmaps of each facet value
(``facet_bitmaps``, built from ``facet_terms``), and so does the count of shared
sectors and life events that ranks related items.

Queries start from ``WITH m AS MATERIALIZED (…)``: left to itself, SQLite flattens
the match into the outer query and runs the FTS lookup once per joined row.

Copies of a translated page hidden in the query's language (``hidden_in``, see
``interlink_search.documents.translation_fields``) are subtracted in the same full-text lookup.
Relevance orders by (score, entry id), "newest" by (published, key), "deadline,
soonest first" by a computed bucket (upcoming, past, none), the deadline and the key;
cursors hold the key, never an id.
"""

# SQL here is assembled from module constants and fixed fragments only; every value is a
# query parameter (facet tokens are built from integer codes), so S608 (string-built
# SQL) does not apply.
# ruff: noqa: S608

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from pyroaring import BitMap

from .. import conf
from ..analysis import document_terms, fold, query_alternatives, words
from ..documents import FILTER_ONLY_FIELDS, NO_DEADLINE, facet_values
from ..facets import FACET_NAMES, FACETS_BY_NAME
from ..highlight import highlight
from ..models import FacetValue, IndexEntry, facet_token, token_codes
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
from . import facet_bitmaps, side_queries, timing
from .base import SearchBackend, SearchTooSlow
from .facet_bitmaps import EMPTY

logger = logging.getLogger(__name__)
ENTRY = IndexEntry._meta.db_table
VALUES = FacetValue._meta.db_table
FTS = "interlink_search_indexentry_fts"
FACET_BUCKETS = 30
RELATED_FIELDS = ("sector", "life_event")  # tags have no codes: not facets
FIELD_SHIFT = 32  # a field's codes: (bucket << 32) | n, see FacetValue
VALUE_LENGTH = 200
BULK_CACHE_KIB = -131072  # SQLite page cache while rebuilding: up to 128 MiB
WALK_ABOVE = 1000  # related items: more candidates than this, walk entries by date
WALK_BATCH = 256  # the walk's first batch of entries (each next one twice as large)
SUGGEST_RECENT = 2000  # suggestions: entries looked at before the title-word index
PREFIX_TOKEN = re.compile(r"[a-z0-9]+")
SQLITE_PROGRESS_STEPS = 10_000  # SQLite VM steps between time-limit checks


def _pairs(document: Document) -> list[tuple[str, str]]:
    return list(
        dict.fromkeys(
            (name, value[:VALUE_LENGTH])
            for name in (*FACET_NAMES, *FILTER_ONLY_FIELDS)
            for value in facet_values(document, name)
        )
    )


def _entry_values(document: Document, codes: list[int]) -> dict[str, Any]:
    title = document.get("title", "")
    language = document.get("analysis_language", "")
    texts = [title, title, document.get("summary", ""), document.get("text", "")]
    texts += [str(tag) for tag in document.get("tags", [])]
    return {
        "kind": document.get("kind", ""),
        "title": title[:600],
        "suggest": " " + " ".join(fold(word) for word in words(title)),
        "terms": document_terms(texts, language),
        "facet_terms": " ".join(facet_token(code) for code in codes),
        "sort_deadline": document["sort_deadline"],
        "sort_published": document["sort_published"],
    }


def facet_codes(
    pairs: Iterable[tuple[str, str]], create: bool = False
) -> dict[tuple[str, str], int]:
    """Codes of (field, value) pairs; with ``create``, missing pairs get new codes.

    Two writers adding the same new value at once collide on the unique constraint;
    their transaction fails and the pending update is retried, so nothing is lost.
    """
    pairs = set(pairs)
    found: dict[tuple[str, str], int] = {}
    values = sorted({value for _field, value in pairs})
    with connection.cursor() as cursor:  # plain SQL: searches call this on every query
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            cursor.execute(
                f"SELECT field, value, code FROM {VALUES} "
                f"WHERE value IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            for field, value, code in cursor.fetchall():
                if (field, value) in pairs:
                    found[field, value] = code
    missing = sorted(pairs - set(found))
    if not create or not missing:
        return found
    fields = {field for field, _value in missing}
    last = dict(
        FacetValue.objects.filter(field__in=fields)
        .values("field")
        .annotate(last=Max("code"))
        .values_list("field", "last")
    )
    top = (FacetValue.objects.aggregate(top=Max("code"))["top"] or 0) >> FIELD_SHIFT
    new = []
    for field, value in missing:
        if field not in last:
            top += 1
            last[field] = top << FIELD_SHIFT
        last[field] += 1
        found[field, value] = last[field]
        new.append(FacetValue(code=last[field], field=field, value=value))
    FacetValue.objects.bulk_create(new)
    return found


def _insert(table: str, columns: list[str], rows: Iterable[Any]) -> None:
    """Bulk insert without the ORM (its per-row SQL compilation dominated indexing):
    COPY on PostgreSQL, executemany on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            list(rows),
        )


@contextmanager
def _searching() -> Iterator[tuple[int, str] | None]:
    """The settings a search runs under: a time limit (``SEARCH_DATABASE_TIMEOUT``; past
    it the statement is stopped and ``SearchTooSlow`` raised) and, on PostgreSQL, the
    planner options below. Yields the index's newest revision on PostgreSQL, read in
    the same round trip (``facet_bitmaps.HEAD_SQL``); None on SQLite.

    The planner prices ``@@`` on a row as one operator call, not as reading (and
    decompressing) the row's tsvector, so for a word in a tenth of the rows it reads
    every row's tsvector instead of intersecting the GIN indexes: 0.7 s against a few
    milliseconds at 100,000 entries: sequential scans are off. Parallel workers are off
    too: a search is a few small queries, and starting workers cost more than they
    saved (and took cores from other requests). All three settings are
    transaction-local (one round trip sets them and reads the previous values); they
    end with the transaction, or are put back when the search ran inside an outer one.
    An error rolls them back with the savepoint. SQLite has no statement timeout: a
    progress handler stops the statement instead."""
    limit_ms = conf.database_timeout_ms()
    try:
        if connection.vendor != "postgresql":
            with _sqlite_deadline(float(conf.setting("SEARCH_DATABASE_TIMEOUT"))):
                yield None
            return
        nested = connection.in_atomic_block
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), "
                "current_setting('max_parallel_workers_per_gather'), "
                "current_setting('statement_timeout'), "
                "set_config('enable_seqscan', 'off', true), "
                "set_config('max_parallel_workers_per_gather', '0', true), "
                "set_config('statement_timeout', %s, true), "
                f"head.* FROM ({facet_bitmaps.HEAD_SQL}) head",
                [f"{limit_ms}ms"],
            )
            previous, workers, timeout, _seqscan, _workers, _timeout, revision, stamp = (
                cursor.fetchone()
            )
            yield int(revision), stamp
            if nested:
                cursor.execute(
                    "SELECT set_config('enable_seqscan', %s, true), "
                    "set_config('max_parallel_workers_per_gather', %s, true), "
                    "set_config('statement_timeout', %s, true)",
                    [previous, workers, timeout],
                )
    except Exception as exc:  # Django's error, or psycopg's from a side connection
        if _stopped(exc):
            raise SearchTooSlow(f"A search ran longer than {limit_ms} ms and was stopped") from exc
        raise


def _sqlite_limit(raw: Any, limit: float) -> None:
    """Stop statements on the SQLite connection ``raw`` once ``limit`` seconds pass."""
    deadline = time.monotonic() + limit
    raw.set_progress_handler(lambda: time.monotonic() > deadline, SQLITE_PROGRESS_STEPS)


@contextmanager
def _sqlite_deadline(limit: float) -> Iterator[None]:
    raw = connection.connection
    if raw is None:  # not connected yet: connect, so the handler has a connection
        connection.ensure_connection()
        raw = connection.connection
    _sqlite_limit(raw, limit)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)


def _bitmaps(head: tuple[int, str] | None) -> facet_bitmaps.FacetBitmaps:
    """The facet bitmaps at ``head``. Bringing them up to date may read far more than
    a search does (every entry, in a process that found no saved bitmaps: seconds at a
    million entries), so the search's time limit is lifted meanwhile; otherwise no
    search could ever finish, and none would save them for the next process."""
    if facet_bitmaps.up_to_date(head):
        return facet_bitmaps.current(head)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('statement_timeout', '0', true)")
            try:
                return facet_bitmaps.current(head)
            finally:
                limit = f"{conf.database_timeout_ms()}ms"
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [limit])
        raw = connection.connection
        raw.set_progress_handler(None, 0)
        try:
            return facet_bitmaps.current(head)
        finally:
            _sqlite_limit(raw, float(conf.setting("SEARCH_DATABASE_TIMEOUT")))


def _stopped(exc: BaseException) -> bool:
    """Whether ``exc``, or the driver's error under Django's, is a statement stopped for
    its time limit: PostgreSQL's query_canceled, SQLite's interrupt from the progress
    handler."""
    return any(
        getattr(error, "sqlstate", None) == "57014"
        or getattr(error, "sqlite_errorname", None) == "SQLITE_INTERRUPT"
        for error in (exc, exc.__cause__)
    )


def _matches(rows: list[tuple[Any, ...]]) -> BitMap:
    """The bitmap of ids read by a ``facet_bitmaps.ids_sql`` statement."""
    return facet_bitmaps.from_ids(rows[0][0])


class _Sql:
    """Accumulates SQL fragments and their parameters."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []

    def add(self, sql: str, *params: Any) -> None:
        self.parts.append(sql)
        self.params.extend(params)


class DatabaseBackend(SearchBackend):
    name = "database"

    # Matching ------------------------------------------------------------------

    @staticmethod
    def _codes(
        query: SearchQuery, known: dict[tuple[str, str], int] | None = None
    ) -> tuple[dict[str, list[int]], list[int]]:
        """Each filtered facet's codes (an empty list, for a value nobody uses, matches
        nothing), and the codes of the entries a search in ``query.language`` leaves
        out (copies of a page another copy stands for); from ``known`` codes (the
        facet bitmaps' dictionary) when they cover the fields asked, else one
        dictionary lookup."""
        wanted = {
            (name, str(value)[:VALUE_LENGTH])
            for name, values in query.filters.items()
            for value in values
        }
        hidden = ("hidden_in", query.language[:VALUE_LENGTH])
        asked = wanted | ({hidden} if query.language else set())
        if known is not None and all(
            name in FACETS_BY_NAME or name in facet_bitmaps.LOOKED_UP for name, _value in asked
        ):
            codes = {pair: known[pair] for pair in asked if pair in known}
        else:
            codes = facet_codes(asked)
        filters = {
            name: sorted({codes[pair] for pair in wanted if pair[0] == name and pair in codes})
            for name, values in query.filters.items()
            if values
        }
        return filters, [codes[hidden]] if hidden in codes else []

    @staticmethod
    def _hidden_codes(language: str) -> list[int]:
        return DatabaseBackend._codes(SearchQuery(language=language))[1]

    @staticmethod
    def _match(
        alternatives: list[set[str]],
        codes: dict[str, list[int]],
        scored: bool = False,
        excluded: list[int] | None = None,
    ) -> tuple[str, list[Any]]:
        """SQL yielding ``entry_id`` and ``score`` of the entries that match the words
        and every filter, and have none of the ``excluded`` codes, with its params.
        Only ``scored`` ranks (by the words alone): ranking is the expensive part of
        matching."""
        groups = [group for _name, group in sorted(codes.items())]
        excluded = excluded or []
        if any(not group for group in groups):
            return f"SELECT e.id AS entry_id, 0.0 AS score FROM {ENTRY} e WHERE 1 = 0", []
        if not alternatives and not groups and not excluded:
            return f"SELECT e.id AS entry_id, 0.0 AS score FROM {ENTRY} e", []
        excluded_tokens = " | ".join(facet_token(code) for code in excluded)
        if connection.vendor == "postgresql":
            sql = _Sql()
            words_query = " & ".join(
                "(" + " | ".join(sorted(options)) + ")" for options in alternatives
            )
            if alternatives:
                sql.add("e.terms_tsv @@ to_tsquery('simple', %s)", words_query)
            if groups:
                facets_query = " & ".join(
                    "(" + " | ".join(facet_token(code) for code in group) + ")" for group in groups
                )
                if excluded:  # one GIN lookup: "a & !b" reads b's short posting list
                    facets_query += f" & !({excluded_tokens})"
                sql.add("e.facets_tsv @@ to_tsquery('simple', %s)", facets_query)
            elif excluded:
                sql.add("NOT (e.facets_tsv @@ to_tsquery('simple', %s))", excluded_tokens)
            score, score_params = "0.0", []
            if scored and alternatives:
                score = "ts_rank(e.terms_tsv, to_tsquery('simple', %s))::float8"
                score_params = [words_query]
            return (
                f"SELECT e.id AS entry_id, {score} AS score FROM {ENTRY} e "
                f"WHERE {' AND '.join(sql.parts)}",
                [*score_params, *sql.params],
            )
        parts = []
        if alternatives:
            parts.append(
                "terms : ("
                + " AND ".join(
                    "(" + " OR ".join(f'"{term}"' for term in sorted(options)) + ")"
                    for options in alternatives
                )
                + ")"
            )
        for group in groups:
            tokens = " OR ".join(f'"{facet_token(code)}"' for code in group)
            parts.append(f"facet_terms : ({tokens})")
        hidden = " OR ".join(f'"{facet_token(code)}"' for code in excluded)
        if not parts:  # FTS5 cannot match "everything but": subtract the hidden rows
            return (
                f"SELECT e.id AS entry_id, 0.0 AS score FROM {ENTRY} e WHERE e.id NOT IN "
                f"(SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)",
                [f"facet_terms : ({hidden})"],
            )
        expression = " AND ".join(parts)
        if excluded:
            expression = f"({expression}) NOT facet_terms : ({hidden})"
        # Weight 0 on facet_terms and suggest: filters decide what matches, never the rank.
        score = f"-bm25({FTS}, 1.0, 0.0, 0.0)" if scored and alternatives else "0.0"
        return (
            f"SELECT rowid AS entry_id, {score} AS score FROM {FTS} WHERE {FTS} MATCH %s",
            [expression],
        )

    @staticmethod
    def _page(query: SearchQuery, match_sql: str, match_params: list[Any]) -> tuple[str, list[Any]]:
        """SQL for the page after ``query.after``: (key, document, score, sort_deadline,
        sort_published, bucket) rows, one more than the page size.

        Relevance orders by (score, entry id) over the matches alone, and reads the
        entries of the page only (ordering by key read an entry per match: a quarter
        of the statement's time); the cursor keeps the key, whose id is looked up
        once. "Newest" orders by (published, key); "deadline, soonest first" by
        (bucket, deadline, key): upcoming deadlines (today's included) first, then
        past ones, then none."""
        columns = "e.key, e.document, top.score, e.sort_deadline, e.sort_published"
        after = query.after
        if query.sort == "relevance":
            condition, params = "", []
            if after is not None:
                # The cursor's entry may have gone since: then its ties come again
                # rather than being skipped.
                condition = (
                    " WHERE m.score < %s OR (m.score = %s AND m.entry_id > "
                    f"COALESCE((SELECT id FROM {ENTRY} WHERE key = %s), 0))"
                )
                params = [after[0], after[0], after[1]]
            return (
                f"WITH m AS MATERIALIZED ({match_sql}), top AS (SELECT m.entry_id AS id, "
                f"m.score FROM m{condition} ORDER BY m.score DESC, m.entry_id LIMIT %s) "
                f"SELECT {columns}, 0 FROM top JOIN {ENTRY} e ON e.id = top.id "
                f"ORDER BY top.score DESC, top.id",
                [*match_params, *params, query.size + 1],
            )
        bucket, bucket_params = "0", []
        where, where_params = "", []
        if query.sort == "deadline":
            bucket = (
                f"CASE WHEN e.sort_deadline = %s THEN {DEADLINE_NONE} "
                f"WHEN e.sort_deadline < %s THEN {DEADLINE_PAST} ELSE {DEADLINE_UPCOMING} END"
            )
            bucket_params = [NO_DEADLINE, timezone.localdate().isoformat()]
            order = "bucket ASC, e.sort_deadline ASC, e.key ASC"
            outer = "top.bucket ASC, top.sort_deadline ASC, top.key ASC"
            if after is not None:
                where = f" WHERE ({bucket}, e.sort_deadline, e.key) > (%s, %s, %s)"
                where_params = [*bucket_params, *after]
        else:
            order = "e.sort_published DESC, e.key ASC"
            outer = "top.sort_published DESC, top.key ASC"
            if after is not None:
                where = " WHERE e.sort_published < %s OR (e.sort_published = %s AND e.key > %s)"
                where_params = [after[0], after[0], after[1]]
        return (
            f"WITH m AS MATERIALIZED ({match_sql}), "
            f"top AS (SELECT e.id, e.key, m.score, e.sort_deadline, e.sort_published, "
            f"{bucket} AS bucket FROM m JOIN {ENTRY} e ON e.id = m.entry_id{where} "
            f"ORDER BY {order} LIMIT %s) "
            f"SELECT {columns}, top.bucket FROM top JOIN {ENTRY} e ON e.id = top.id "
            f"ORDER BY {outer}",
            [*match_params, *bucket_params, *where_params, query.size + 1],
        )

    def _run(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # Searching -----------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        side = side_queries.available()  # asked outside the transaction opened here
        with _searching() as head:
            results = self._search(query, _bitmaps(head), side)
        if query.suggest and query.text.strip():
            results.suggestions = self.suggest(query.text, language=query.language)
        return results

    def count(self, queries: list[SearchQuery]) -> list[int]:
        """Totals only: no ranking, no facets, no documents read."""
        totals = []
        with _searching():
            for query in queries:
                codes, excluded = self._codes(query)
                match_sql, params = self._match(
                    query_alternatives(query.text), codes, excluded=excluded
                )
                totals.append(self._run(f"SELECT COUNT(*) FROM ({match_sql}) m", params)[0][0])
        return totals

    def _search(
        self, query: SearchQuery, bitmaps: facet_bitmaps.FacetBitmaps, side: bool = False
    ) -> SearchResults:
        scored = query.sort == "relevance"
        alternatives = query_alternatives(query.text)
        terms = set().union(*alternatives) if alternatives else set()
        codes, excluded = self._codes(query, bitmaps.codes)
        # The ids the facets are counted over (words, and filters on fields that are
        # not facets: facet filters are applied to the bitmaps), read on a side
        # connection while this one ranks, where that is possible.
        counted = {name: group for name, group in codes.items() if name in FACETS_BY_NAME}
        other = {name: group for name, group in codes.items() if name not in counted}
        words_sql, words_params = self._match(alternatives, other, excluded=excluded)
        words_sql = facet_bitmaps.ids_sql(words_sql)
        beside = (
            side_queries.submit(words_sql, words_params, _matches) if side else None
        )  # None: not here, or every side connection is busy
        match_sql, match_params = self._match(alternatives, codes, scored=scored, excluded=excluded)
        # Rank and sort the matches, then read the documents of the page only.
        with timing.step("ranked page"):
            rows = self._run(*self._page(query, match_sql, match_params))
        seen: dict[tuple[str, str], bool] = {}  # words' matches, shared by the page's hits
        with timing.step("highlighting"):
            hits = [self._hit(row, terms, seen) for row in rows[: query.size]]
        next_after = None
        if len(rows) > query.size:
            last = rows[query.size - 1]
            if query.sort == "deadline":
                next_after = [int(last[5]), last[3], last[0]]
            elif query.sort == "newest":
                next_after = [last[4], last[0]]
            else:
                next_after = [float(last[2]), last[0]]
        matches = None
        if beside is not None:
            try:
                with timing.step("word matches (side), waited for"):
                    matches = beside.result()
            except Exception as exc:  # the side connection failed: this one reads them
                if _stopped(exc):  # unless it ran out of time: this one would too
                    raise
                logger.warning("Side connection failed; reading matches here", exc_info=True)
        if matches is None:
            with timing.step("word matches"):
                matches = _matches(self._run(words_sql, words_params))
        with timing.step("facet counts"):
            facets, total = self._facets(bitmaps, matches, counted)
        return SearchResults(hits, total, facets, next_after, backend=self.name)

    def _hit(
        self, row: tuple[Any, ...], terms: set[str], seen: dict[tuple[str, str], bool]
    ) -> SearchHit:
        key, document, score = row[0], row[1], row[2]
        if isinstance(document, str):
            document = json.loads(document)
        highlights: dict[str, str] = {}
        language = document.get("analysis_language", "")
        for name, size in (("title", None), ("summary", None), ("text", 200)):
            fragment = highlight(document.get(name, ""), terms, language, size, seen)
            if fragment:
                highlights[name] = fragment
        return SearchHit(key, document, highlights, float(score))

    def _facets(
        self, bitmaps: facet_bitmaps.FacetBitmaps, matches: BitMap, counted: dict[str, list[int]]
    ) -> tuple[dict[str, list[FacetBucket]], int]:
        """Counts per facet value, and the total, over the entries in ``matches`` (a
        bitmap) that pass the ``counted`` facet filters; a filtered facet is counted
        without its own filter, so people see the alternatives they can add (OR within
        a facet, AND across). All of it is ANDs of in-memory bitmaps
        (``facet_bitmaps``)."""
        filters = {name: bitmaps.union(group) for name, group in counted.items()}

        def passing(skip: str | None) -> BitMap:
            entries = matches
            for name, entries_with in filters.items():
                if name != skip:
                    entries = entries & entries_with
            return entries

        everything = passing(None)
        facets: dict[str, list[FacetBucket]] = {}
        for name in FACET_NAMES:
            within = passing(name) if name in filters else everything
            counts = [
                (count, bitmaps.labels[code])
                for code in bitmaps.fields.get(name, ())
                if (count := within.intersection_cardinality(bitmaps.bits.get(code, EMPTY)))
            ]
            counts.sort(key=lambda pair: (-pair[0], pair[1]))
            facets[name] = [FacetBucket(value, count) for count, value in counts[:FACET_BUCKETS]]
        return facets, len(everything)

    def suggest(self, prefix: str, size: int = 8, language: str = "") -> list[str]:
        """Titles, newest first, with words that start as ``prefix``'s words do (the
        last one may be partial), without accents or case.

        Most prefixes are answered by the newest ``SUGGEST_RECENT`` entries alone; a
        rarer one is looked up in the full-text index of title words (migration 0010),
        so no keystroke reads every entry."""
        folded = " ".join(fold(word) for word in words(prefix))
        if not folded:
            return []
        escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        sql = _Sql()
        sql.add("e.suggest LIKE %s ESCAPE '\\'", f"% {escaped}%")
        hidden = self._hidden_codes(language)
        if hidden:
            hidden_sql, hidden_params = self._match([], {"hidden": hidden})
            sql.add(f"e.id NOT IN (SELECT entry_id FROM ({hidden_sql}) h)", *hidden_params)
        where = " AND ".join(sql.parts)
        order = f"ORDER BY e.sort_published DESC, e.key LIMIT {size * 2}"
        with _searching():
            recent = self._run(
                f"SELECT e.title FROM (SELECT id, title, suggest, sort_published, key "
                f"FROM {ENTRY} ORDER BY sort_published DESC, key LIMIT {SUGGEST_RECENT}) e "
                f"WHERE {where} {order}",
                sql.params,
            )
            if len(recent) < size * 2:  # fewer than asked among the newest: ask the index
                last = folded.rsplit(" ", 1)[-1]
                if PREFIX_TOKEN.fullmatch(last):  # one token in both engines' parsers
                    if connection.vendor == "postgresql":
                        sql.add("e.suggest_tsv @@ to_tsquery('simple', %s)", f"{last}:*")
                    else:
                        sql.add(
                            f"e.id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)",
                            f'suggest : "{last}"*',
                        )
                recent = self._run(
                    f"SELECT e.title FROM {ENTRY} e WHERE {' AND '.join(sql.parts)} {order}",
                    sql.params,
                )
        return list(dict.fromkeys(title for (title,) in recent))[:size]

    def related(
        self, key: str, size: int = 4, kind: str | None = None, language: str = ""
    ) -> list[Document]:
        """The entries sharing most of this one's ``RELATED_FIELDS`` values, newest first
        among equals; never the entry itself, its translations (its group), copies
        hidden in ``language``, or another ``kind`` than asked.

        The shared values are counted on the facet bitmaps (an entry's count is how
        many of the values' bitmaps have it); only the best-sharing candidates' rows
        are read, to order them by date (a shared sector alone can be a third of the
        index)."""
        with _searching() as head:
            bitmaps = _bitmaps(head)
            found = self._run(f"SELECT id, facet_terms FROM {ENTRY} WHERE key = %s", [key])
            if not found:
                return []
            entry_id, facet_terms = found[0]
            codes = token_codes(facet_terms)
            comparable = {code for name in RELATED_FIELDS for code in bitmaps.fields.get(name, ())}
            shared = [bitmaps.bits.get(code, EMPTY) for code in codes if code in comparable]
            allowed: BitMap | None = None  # None: every entry
            if kind:  # a kind nobody has: no entry
                kind_code = bitmaps.codes.get(("kind", kind))
                allowed = BitMap(bitmaps.bits.get(kind_code, EMPTY) if kind_code else ())
            if not shared or allowed is not None and not allowed:
                return []
            unwanted = self._unwanted(codes, language, bitmaps)
            unwanted.add(entry_id)
            # at_least[n]: the entries that have at least n of the shared values.
            at_least = [BitMap() for _ in range(len(shared) + 2)]
            for entries_with in shared:
                for n in range(len(shared), 1, -1):
                    at_least[n] |= at_least[n - 1] & entries_with
                at_least[1] |= entries_with
            documents: list[Document] = []
            for n in range(len(shared), 0, -1):
                candidates = at_least[n] - at_least[n + 1] - unwanted
                if allowed is not None:
                    candidates &= allowed
                if candidates:
                    documents += self._newest(candidates, size - len(documents))
                if len(documents) >= size:
                    break
        return documents

    def _unwanted(
        self, codes: list[int], language: str, bitmaps: facet_bitmaps.FacetBitmaps
    ) -> BitMap:
        """The entries of the group among ``codes`` (an entry's translations) and the
        copies hidden in ``language``, as a bitmap (groups are never counted, so they
        have no bitmaps of their own: one full-text lookup)."""
        unwanted = self._codes(SearchQuery(language=language), bitmaps.codes)[1]
        unwanted += FacetValue.objects.filter(code__in=codes, field="group").values_list(
            "code", flat=True
        )
        if not unwanted:
            return BitMap()
        sql, params = self._match([], {"unwanted": unwanted})
        return _matches(self._run(facet_bitmaps.ids_sql(sql), params))

    def _newest(self, candidates: BitMap, size: int) -> list[Document]:
        """The documents of the ``size`` newest entries among ``candidates`` (a bitmap;
        ids of deleted entries, which bitmaps keep, find nothing).

        Many candidates (a shared sector can be a third of the index): walk the entries
        newest first, in growing batches, until enough are candidates (about ``size``
        × entries ÷ candidates rows); reading every candidate's row cost 25-60 ms at
        100,000 entries. Few: read just theirs."""
        if len(candidates) <= WALK_ABOVE:
            ids = list(candidates)
        else:
            ids = self._walk_newest(candidates, size)
        params: list[Any]
        if connection.vendor == "postgresql":
            where, params = "e.id = ANY(%s)", [ids]
        else:
            where, params = "e.id IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]
        rows = self._run(
            f"SELECT e.document FROM {ENTRY} e WHERE {where} "
            f"ORDER BY e.sort_published DESC, e.key LIMIT %s",
            [*params, size],
        )
        return [json.loads(doc) if isinstance(doc, str) else doc for (doc,) in rows]

    def _walk_newest(self, candidates: BitMap, size: int) -> list[int]:
        """Up to ``size`` ids of ``candidates``, newest first, from a walk of the date
        index in doubling batches, each starting where the last one ended."""
        found: list[int] = []
        after: tuple[str, str] | None = None
        batch = WALK_BATCH
        while len(found) < size:
            sql, params = f"SELECT id, sort_published, key FROM {ENTRY}", []
            if after is not None:  # "<=" first: a range on the index, not a filter
                sql += " WHERE sort_published <= %s AND (sort_published < %s OR key > %s)"
                params = [after[0], after[0], after[1]]
            rows = self._run(f"{sql} ORDER BY sort_published DESC, key LIMIT %s", [*params, batch])
            found += [entry_id for entry_id, _published, _key in rows if entry_id in candidates]
            if len(rows) < batch:
                break
            after, batch = (rows[-1][1], rows[-1][2]), batch * 2
        return found[:size]

    # Writing -------------------------------------------------------------------

    def upsert(self, documents: Iterable[Document]) -> int:
        by_key = {document["key"]: document for document in documents}
        if not by_key:
            return 0
        columns = [
            "kind",
            "title",
            "suggest",
            "terms",
            "facet_terms",
            "sort_deadline",
            "sort_published",
            "revision",
        ]
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # No wait for the WAL flush at this commit: a later synchronous commit
                # (the pending update's deletion, reindex's progress) flushes it first,
                # so nothing is marked done that a crash could lose.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            revision = facet_bitmaps.next_revision()
            pairs = {key: _pairs(document) for key, document in by_key.items()}
            codes = facet_codes((p for doc_pairs in pairs.values() for p in doc_pairs), True)
            existing = dict(IndexEntry.objects.filter(key__in=list(pairs)).values_list("key", "id"))

            def row(document: Document) -> list[Any]:
                values = _entry_values(document, [codes[p] for p in pairs[document["key"]]])
                values["revision"] = revision
                return [values[name] for name in columns] + [
                    json.dumps(document, cls=DjangoJSONEncoder)
                ]

            new = [key for key in pairs if key not in existing]
            changed = [key for key in pairs if key in existing]
            # Rows are made as they are sent: PostgreSQL builds one's tsvector and index
            # entries (another core) while Python analyses the next one's words.
            if new:
                _insert(ENTRY, ["key", *columns, "document"], ([k, *row(by_key[k])] for k in new))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {ENTRY} SET {', '.join(f'{name} = %s' for name in columns)}, "
                    f"document = %s WHERE id = %s",
                    [[*row(by_key[key]), existing[key]] for key in changed],
                )
        return len(by_key)

    def delete(self, keys: Iterable[str]) -> int:
        deleted, _by_model = IndexEntry.objects.filter(key__in=list(keys)).delete()
        return deleted

    def keys(self) -> set[str]:
        return set(IndexEntry.objects.values_list("key", flat=True))

    def begin_rebuild(self, target: str | None = None) -> str:
        # Rows are replaced in place, one transaction per batch: searches keep working
        # during the rebuild, and ``reindex`` removes stale keys at the end. On SQLite
        # the connection gets a page cache the index B-trees fit in (inserts into them
        # are random: with the default 2 MB, most pages are read back from the file).
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                (self._cache_size,) = cursor.fetchone()
                cursor.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
        return "database"

    def upsert_into(self, target: str, documents: Iterable[Document]) -> int:
        return self.upsert(documents)

    def finish_rebuild(self, target: str, expected: int | None = None) -> None:
        # Rows were replaced in place: there is no separate index to check or swap. On
        # SQLite, merge the full-text index's segments into one (queries read fewer
        # b-trees) and give the connection its page cache back.
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")
                previous = getattr(self, "_cache_size", None)
                if previous is not None:
                    cursor.execute(f"PRAGMA cache_size = {int(previous)}")
        self.refresh()
        # Bring this process's facet bitmaps up to date now (every entry was rewritten):
        # with that many read, they are saved, and no later process reads them all.
        facet_bitmaps.current()

    def after_writes(self) -> None:
        """Save the facet bitmaps when the saved ones are ``SAVE_AFTER`` entries behind,
        so that a process starting later re-reads no more than that (the worker pays
        it, not a visitor's first search). The updates are applied already: a failure
        here is logged, and the next process re-reads more."""
        try:
            facet_bitmaps.save_if_behind()
        except Exception:
            logger.warning("Search: could not check the saved facet bitmaps", exc_info=True)

    def refresh(self) -> None:
        """On PostgreSQL, refresh the planner's statistics after bulk writes (autovacuum
        would, later): without them it cannot tell a rare word from a common one."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {ENTRY}, {FacetValue._meta.db_table}")
