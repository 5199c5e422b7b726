"""The database backend: the embedded default, and the fallback when the engine is down.

Text is analysed in Python (``search.analysis``) into ``IndexEntry.terms``; facet values
become integer codes (``FacetValue``), written as (entry, code) rows for counting and as
tokens ("f<code>") in ``IndexEntry.facet_terms``. Full text indexes both, so a query's
words *and* its filters are one posting-list intersection: on PostgreSQL two stored
tsvector columns with GIN indexes (``terms_tsv``, ``facets_tsv``), ranked by
``ts_rank`` over the words only; on SQLite an FTS5 table with the columns ``terms`` and
``facet_terms``, ranked by ``bm25`` with weight 0 on the facet column.

Only the matches that pass every filter are ranked; only the returned page's documents
are read and highlighted. Facet counts join the matched ids to ``IndexFacet``'s
(entry, code) index, one GROUP BY per filtered facet plus one for the rest: a facet's
codes are one range, so counting one facet is a range probe per matched entry.

Queries start from ``WITH m AS MATERIALIZED (…)``: left to itself, SQLite flattens
the match into the outer query and runs the FTS lookup once per joined row.
"""

# SQL here is assembled from module constants and fixed fragments only; every value is a
# query parameter (facet tokens are built from integer codes), so S608 (string-built
# SQL) does not apply.
# ruff: noqa: S608

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Max, Min

from ..analysis import document_terms, fold, query_alternatives, words
from ..documents import facet_values
from ..facets import FACET_NAMES
from ..highlight import highlight
from ..models import FacetValue, IndexEntry, IndexFacet
from ..types import Document, FacetBucket, SearchHit, SearchQuery, SearchResults
from .base import SearchBackend

ENTRY = IndexEntry._meta.db_table
FACET = IndexFacet._meta.db_table
FTS = "search_indexentry_fts"
FACET_BUCKETS = 30
RELATED_FIELDS = ("sector", "life_event", "tags")
FIELD_SHIFT = 32  # a field's codes: (bucket << 32) | n, see FacetValue
VALUE_LENGTH = 200
FILTERED_COLUMNS = 64  # up to this many values, a filtered facet is counted per value


def facet_token(code: int) -> str:
    return f"f{code}"


def _pairs(document: Document) -> list[tuple[str, str]]:
    return list(
        dict.fromkeys(
            (name, value[:VALUE_LENGTH])
            for name in FACET_NAMES
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
    for start in range(0, len(values), 500):
        for field, value, code in FacetValue.objects.filter(
            value__in=values[start : start + 500]
        ).values_list("field", "value", "code"):
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


def _insert(table: str, columns: list[str], rows: list[Any]) -> None:
    """Bulk insert without the ORM (its per-row SQL compilation dominated indexing):
    COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
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
            rows,
        )


@contextmanager
def _index_scans() -> Iterator[None]:
    """On PostgreSQL, search with sequential scans and parallel workers off.

    The planner prices ``@@`` on a row as one operator call, not as reading (and
    decompressing) the row's tsvector, so for a word in a tenth of the rows it reads
    every row's tsvector instead of intersecting the GIN indexes: 0.7 s against a few
    milliseconds at 100,000 entries. Parallel workers are off too: a search is a few
    small queries, and starting workers cost more than they saved (and took cores from
    other requests). Both settings are transaction-local and restored; an error rolls
    them back with the savepoint."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        (previous,) = cursor.fetchone()
        cursor.execute("SELECT current_setting('max_parallel_workers_per_gather')")
        (workers,) = cursor.fetchone()
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
        cursor.execute("SELECT set_config('max_parallel_workers_per_gather', '0', true)")
        yield
        cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])
        cursor.execute("SELECT set_config('max_parallel_workers_per_gather', %s, true)", [workers])


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
    def _filter_codes(filters: dict[str, list[str]]) -> dict[str, list[int]]:
        """Each filtered facet's codes; an empty list (no such value) matches nothing."""
        wanted = {
            (name, str(value)[:VALUE_LENGTH])
            for name, values in filters.items()
            for value in values
        }
        codes = facet_codes(wanted)
        return {
            name: sorted({codes[pair] for pair in wanted if pair[0] == name and pair in codes})
            for name, values in filters.items()
            if values
        }

    @staticmethod
    def _match(
        alternatives: list[set[str]],
        codes: dict[str, list[int]],
        skip: str | None = None,
        scored: bool = False,
        with_facets: bool = False,
    ) -> tuple[str, list[Any]]:
        """SQL yielding ``entry_id`` and ``score`` of the entries that match the words
        and every filter but ``skip``'s (and, on PostgreSQL ``with_facets``, their
        ``facets_tsv``), with its params. Only ``scored`` ranks (by the words alone):
        ranking is the expensive part of matching."""
        groups = [group for name, group in sorted(codes.items()) if name != skip]
        facets = ", e.facets_tsv" if with_facets else ""
        if any(not group for group in groups):
            return f"SELECT e.id AS entry_id, 0.0 AS score{facets} FROM {ENTRY} e WHERE 1 = 0", []
        if not alternatives and not groups:
            return f"SELECT e.id AS entry_id, 0.0 AS score{facets} FROM {ENTRY} e", []
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
                sql.add("e.facets_tsv @@ to_tsquery('simple', %s)", facets_query)
            score, score_params = "0.0", []
            if scored and alternatives:
                score = "ts_rank(e.terms_tsv, to_tsquery('simple', %s))::float8"
                score_params = [words_query]
            return (
                f"SELECT e.id AS entry_id, {score} AS score{facets} FROM {ENTRY} e "
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
        # Weight 0 on facet_terms: filters decide what matches, never the rank.
        score = f"-bm25({FTS}, 1.0, 0.0)" if scored and alternatives else "0.0"
        return (
            f"SELECT rowid AS entry_id, {score} AS score FROM {FTS} WHERE {FTS} MATCH %s",
            [" AND ".join(parts)],
        )

    @staticmethod
    def _order(query: SearchQuery) -> tuple[str, str, str, list[Any]]:
        """ORDER BY over the matches (``e``, ``m``) and over the page (``top``), and
        the search_after condition with its params."""
        after = query.after
        if query.sort == "deadline":
            column, direction, cond = "sort_deadline", "ASC", ">"
        elif query.sort == "newest":
            column, direction, cond = "sort_published", "DESC", "<"
        else:
            column, direction, cond = "score", "DESC", "<"
        table = "m" if column == "score" else "e"
        order = f"{table}.{column} {direction}, e.key ASC"
        outer = f"top.{column} {direction}, top.key ASC"
        if after is None:
            return order, outer, "", []
        condition = f"({table}.{column} {cond} %s OR ({table}.{column} = %s AND e.key > %s))"
        return order, outer, condition, [after[0], after[0], after[1]]

    def _run(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # Searching -----------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        with _index_scans():
            return self._search(query)

    def _search(self, query: SearchQuery) -> SearchResults:
        scored = query.sort == "relevance"
        alternatives = query_alternatives(query.text)
        terms = set().union(*alternatives) if alternatives else set()
        codes = self._filter_codes(query.filters)
        match_sql, match_params = self._match(alternatives, codes, scored=scored)
        order, outer, after_cond, after_params = self._order(query)
        # Rank and sort the matches, then read the documents of the page only.
        rows = self._run(
            f"WITH m AS MATERIALIZED ({match_sql}), "
            f"top AS (SELECT e.id, e.key, m.score, e.sort_deadline, e.sort_published "
            f"FROM m JOIN {ENTRY} e ON e.id = m.entry_id"
            f"{' WHERE ' + after_cond if after_cond else ''} ORDER BY {order} LIMIT %s) "
            f"SELECT top.key, e.document, top.score, top.sort_deadline, top.sort_published, "
            f"(SELECT COUNT(*) FROM m) FROM top JOIN {ENTRY} e ON e.id = top.id "
            f"ORDER BY {outer}",
            [*match_params, *after_params, query.size + 1],
        )
        if rows:
            total = rows[0][5]  # every match, counted from the materialised matches
        else:
            unscored, unscored_params = self._match(alternatives, codes)
            total = self._run(f"SELECT COUNT(*) FROM ({unscored}) AS m", unscored_params)[0][0]
        hits = [self._hit(row, terms) for row in rows[: query.size]]
        next_after = None
        if len(rows) > query.size:
            last = rows[query.size - 1]
            primary = {"deadline": last[3], "newest": last[4]}.get(query.sort, float(last[2]))
            next_after = [primary, last[0]]
        facets = self._facets(alternatives, codes)
        return SearchResults(hits, total, facets, next_after, backend=self.name)

    def _hit(self, row: tuple[Any, ...], terms: set[str]) -> SearchHit:
        key, document, score = row[0], row[1], row[2]
        if isinstance(document, str):
            document = json.loads(document)
        highlights: dict[str, str] = {}
        language = document.get("analysis_language", "")
        for name, size in (("title", None), ("summary", None), ("text", 200)):
            fragment = highlight(document.get(name, ""), terms, language, size)
            if fragment:
                highlights[name] = fragment
        return SearchHit(key, document, highlights, float(score))

    def _facets(
        self, alternatives: list[set[str]], codes: dict[str, list[int]]
    ) -> dict[str, list[FacetBucket]]:
        """Counts per facet value; a filtered facet is counted without its own filter,
        so people see the alternatives they can add (OR within a facet, AND across).

        One GROUP BY over the entries that pass every filter counts the unfiltered
        facets; each filtered facet is counted over the entries that pass the other
        filters, reading only its own values."""
        counted: dict[int, int] = {}
        ranges = {
            field: (low, high)
            for field, low, high in FacetValue.objects.filter(field__in=list(codes))
            .values("field")
            .annotate(low=Min("code"), high=Max("code"))
            .values_list("field", "low", "high")
        }
        groups: list[tuple[str | None, tuple[int, int] | None]] = [(None, None)]
        groups += [(name, ranges[name]) for name in codes if name in ranges]
        for skip, code_range in groups:
            for code, count in self._count_codes(alternatives, codes, skip, code_range):
                if skip is None and any(low <= code <= high for low, high in ranges.values()):
                    continue  # a filtered facet: counted without its own filter
                counted[code] = count
        counts: dict[str, dict[str, int]] = defaultdict(dict)
        for code, field, value in FacetValue.objects.filter(code__in=list(counted)).values_list(
            "code", "field", "value"
        ):
            counts[field][value] = counted[code]
        return {
            name: [
                FacetBucket(value, count)
                for value, count in sorted(counts[name].items(), key=lambda kv: (-kv[1], kv[0]))[
                    :FACET_BUCKETS
                ]
            ]
            for name in FACET_NAMES
        }

    def _count_codes(
        self,
        alternatives: list[set[str]],
        codes: dict[str, list[int]],
        skip: str | None,
        code_range: tuple[int, int] | None,
    ) -> list[tuple[int, int]]:
        """(code, matching entries) over the matches of every filter but ``skip``'s,
        limited to ``code_range``."""
        if connection.vendor == "postgresql":
            # The matched rows carry their facet tokens (a small inline tsvector), so
            # counting reads the rows the match reads anyway, with no join.
            match_sql, params = self._match(alternatives, codes, skip=skip, with_facets=True)
            if code_range is None:
                rows = self._run(
                    f"SELECT t.lexeme, COUNT(*) FROM ({match_sql}) m, "
                    f"unnest(m.facets_tsv) t GROUP BY t.lexeme",
                    params,
                )
                return [(int(token[1:]), count) for token, count in rows]
            values = list(
                FacetValue.objects.filter(
                    code__gte=code_range[0], code__lte=code_range[1]
                ).values_list("code", flat=True)
            )
            if len(values) > FILTERED_COLUMNS:
                rows = self._run(
                    f"SELECT t.lexeme, COUNT(*) FROM ({match_sql}) m, "
                    f"unnest(m.facets_tsv) t WHERE t.lexeme = ANY(%s) GROUP BY t.lexeme",
                    [*params, [facet_token(code) for code in values]],
                )
                return [(int(token[1:]), count) for token, count in rows]
            # One filtered facet's few values: a conditional count per value over the
            # matched rows costs half of unnesting every row's tokens.
            columns = ", ".join(
                "COUNT(*) FILTER (WHERE m.facets_tsv @@ %s::tsquery)" for _code in values
            )
            (row,) = self._run(
                f"SELECT {columns} FROM ({match_sql}) m",
                [*(facet_token(code) for code in values), *params],
            )
            return [(code, count) for code, count in zip(values, row, strict=True) if count]
        # SQLite: CROSS JOIN keeps the ids as the outer loop, and INDEXED BY stops the
        # planner (which has no statistics) from probing by code alone.
        match_sql, params = self._match(alternatives, codes, skip=skip)
        within = " AND f.code BETWEEN %s AND %s" if code_range else ""
        return self._run(
            f"WITH m AS MATERIALIZED ({match_sql}) SELECT f.code, COUNT(*) "
            f"FROM m CROSS JOIN {FACET} f INDEXED BY search_facet_entry "
            f"WHERE f.entry_id = m.entry_id{within} GROUP BY f.code",
            [*params, *(code_range or ())],
        )

    def suggest(self, prefix: str, size: int = 8) -> list[str]:
        folded = " ".join(fold(word) for word in words(prefix))
        if not folded:
            return []
        escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        titles = (
            IndexEntry.objects.extra(
                where=["suggest LIKE %s ESCAPE '\\'"], params=[f"% {escaped}%"]
            )
            .order_by("-sort_published", "key")
            .values_list("title", flat=True)[: size * 2]
        )
        return list(dict.fromkeys(titles))[:size]

    def related(self, key: str, size: int = 4, kind: str | None = None) -> list[Document]:
        codes = list(
            IndexFacet.objects.filter(entry__key=key, facet__field__in=RELATED_FIELDS).values_list(
                "facet_id", flat=True
            )
        )
        if not codes:
            return []
        marks = ", ".join(["%s"] * len(codes))
        kind_sql = " AND e.kind = %s" if kind else ""
        rows = self._run(
            f"SELECT e.document, COUNT(*) AS shared FROM {FACET} f JOIN {ENTRY} e "
            f"ON e.id = f.entry_id WHERE f.code IN ({marks}) AND e.key <> %s{kind_sql} "
            f"GROUP BY e.id, e.document, e.sort_published, e.key "
            f"ORDER BY shared DESC, e.sort_published DESC, e.key LIMIT %s",
            [*codes, key, *([kind] if kind else []), size],
        )
        return [json.loads(doc) if isinstance(doc, str) else doc for doc, _shared in rows]

    # Writing -------------------------------------------------------------------

    def upsert(self, documents: Iterable[Document]) -> int:
        documents = list({doc["key"]: doc for doc in documents}.values())
        if not documents:
            return 0
        columns = [
            "kind",
            "title",
            "suggest",
            "terms",
            "facet_terms",
            "sort_deadline",
            "sort_published",
        ]
        with transaction.atomic():
            pairs = {document["key"]: _pairs(document) for document in documents}
            codes = facet_codes((p for doc_pairs in pairs.values() for p in doc_pairs), True)
            existing = dict(IndexEntry.objects.filter(key__in=list(pairs)).values_list("key", "id"))
            rows: dict[str, list[Any]] = {}
            for document in documents:
                values = _entry_values(document, [codes[p] for p in pairs[document["key"]]])
                rows[document["key"]] = [values[name] for name in columns] + [
                    json.dumps(document, cls=DjangoJSONEncoder)
                ]
            new = [key for key in rows if key not in existing]
            changed = [key for key in rows if key in existing]
            _insert(ENTRY, ["key", *columns, "document"], [[key, *rows[key]] for key in new])
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {ENTRY} SET {', '.join(f'{name} = %s' for name in columns)}, "
                    f"document = %s WHERE id = %s",
                    [[*rows[key], existing[key]] for key in changed],
                )
            if changed:
                IndexFacet.objects.filter(entry_id__in=[existing[k] for k in changed]).delete()
            if new:
                existing.update(IndexEntry.objects.filter(key__in=new).values_list("key", "id"))
            _insert(
                FACET,
                ["entry_id", "code"],
                [
                    (existing[key], codes[pair])
                    for key, doc_pairs in pairs.items()
                    for pair in doc_pairs
                ],
            )
        return len(documents)

    def delete(self, keys: Iterable[str]) -> int:
        deleted, _by_model = IndexEntry.objects.filter(key__in=list(keys)).delete()
        return deleted

    def keys(self) -> set[str]:
        return set(IndexEntry.objects.values_list("key", flat=True))

    def begin_rebuild(self, target: str | None = None) -> str:
        # Rows are replaced in place, one transaction per batch: searches keep working
        # during the rebuild, and ``reindex`` removes stale keys at the end.
        return "database"

    def upsert_into(self, target: str, documents: Iterable[Document]) -> int:
        return self.upsert(documents)

    def finish_rebuild(self, target: str) -> None:
        self.refresh()

    def refresh(self) -> None:
        """On PostgreSQL, refresh the planner's statistics after bulk writes (autovacuum
        would, later): without them it cannot tell a rare word from a common one."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {ENTRY}, {FACET}, {FacetValue._meta.db_table}")
