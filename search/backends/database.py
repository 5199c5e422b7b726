"""The database backend: the embedded default, and the fallback when the engine is down.

Text is analysed in Python (``search.analysis``) into ``IndexEntry.terms``; PostgreSQL
matches a stored ``to_tsvector('simple', terms)`` column with ``@@ to_tsquery(...)``
over a GIN index and ranks with ``ts_rank``; SQLite uses an FTS5 table kept in step by triggers
and ranks with ``bm25``. Facets are rows of ``IndexFacet`` counted with GROUP BY.

Every query starts from the text match ``WITH m AS MATERIALIZED (…)``: left to itself,
SQLite flattens the match into the outer query and runs the FTS lookup once per facet
row, turning milliseconds into seconds.
"""

# SQL here is assembled from module constants and fixed fragments only; every value is a
# query parameter, so S608 (string-built SQL) does not apply.
# ruff: noqa: S608

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from ..analysis import document_terms, fold, query_alternatives, words
from ..documents import facet_values
from ..facets import FACET_NAMES
from ..highlight import highlight
from ..models import IndexEntry, IndexFacet
from ..types import Document, FacetBucket, SearchHit, SearchQuery, SearchResults
from .base import SearchBackend

ENTRY = IndexEntry._meta.db_table
FACET = IndexFacet._meta.db_table
FTS = "search_indexentry_fts"
FACET_BUCKETS = 30
RELATED_FIELDS = ("sector", "life_event", "tags")


def _entry_values(document: Document) -> dict[str, Any]:
    title = document.get("title", "")
    language = document.get("analysis_language", "")
    texts = [title, title, document.get("summary", ""), document.get("text", "")]
    texts += [str(tag) for tag in document.get("tags", [])]
    return {
        "kind": document.get("kind", ""),
        "title": title[:600],
        "suggest": " " + " ".join(fold(word) for word in words(title)),
        "terms": document_terms(texts, language),
        "sort_deadline": document["sort_deadline"],
        "sort_published": document["sort_published"],
        "document": document,
    }


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

    def _match_source(self, text: str, scored: bool) -> tuple[str, list[Any], set[str]]:
        """SQL yielding ``entry_id`` (and ``score`` when ``scored``) for ``text``, its
        params, and the query terms. Counting and faceting skip the scoring: ranking
        every match (bm25, ts_rank) is the expensive part of a query."""
        alternatives = query_alternatives(text)
        score = ", 0.0 AS score" if scored else ""
        if not alternatives:
            return f"SELECT id AS entry_id{score} FROM {ENTRY}", [], set()
        terms = set().union(*alternatives)
        if connection.vendor == "postgresql":
            tsquery = " & ".join(
                "(" + " | ".join(sorted(options)) + ")" for options in alternatives
            )
            # ``terms_tsv``: a stored generated column (migration 0003) with a GIN index.
            if scored:
                score = ", ts_rank(e.terms_tsv, q.q)::float8 AS score"
            sql = (
                f"SELECT e.id AS entry_id{score} "
                f"FROM {ENTRY} e, to_tsquery('simple', %s) AS q(q) "
                f"WHERE e.terms_tsv @@ q.q"
            )
            return sql, [tsquery], terms
        match = " AND ".join(
            "(" + " OR ".join(f'"{term}"' for term in sorted(options)) + ")"
            for options in alternatives
        )
        if scored:
            score = f", -bm25({FTS}) AS score"
        sql = f"SELECT rowid AS entry_id{score} FROM {FTS} WHERE {FTS} MATCH %s"
        return sql, [match], terms

    @staticmethod
    def _filter_sql(
        filters: dict[str, list[str]], skip: str | None = None, column: str = "e.id"
    ) -> _Sql:
        sql = _Sql()
        for name, values in sorted(filters.items()):
            if name == skip or not values:
                continue
            marks = ", ".join(["%s"] * len(values))
            sql.add(
                f"{column} IN (SELECT entry_id FROM {FACET} WHERE field = %s AND value IN ({marks}))",
                name,
                *values,
            )
        return sql

    @staticmethod
    def _order(query: SearchQuery) -> tuple[str, str, list[Any]]:
        """ORDER BY clause, and the search_after condition with its params."""
        after = query.after
        if query.sort == "deadline":
            order = "e.sort_deadline ASC, e.key ASC"
            cond = "(e.sort_deadline > %s OR (e.sort_deadline = %s AND e.key > %s))"
        elif query.sort == "newest":
            order = "e.sort_published DESC, e.key ASC"
            cond = "(e.sort_published < %s OR (e.sort_published = %s AND e.key > %s))"
        else:
            order = "m.score DESC, e.key ASC"
            cond = "(m.score < %s OR (m.score = %s AND e.key > %s))"
        if after is None:
            return order, "", []
        return order, cond, [after[0], after[0], after[1]]

    @staticmethod
    def _facet_join() -> str:
        """Join the matched ids to their facet rows through the (entry, field) index.

        On SQLite, CROSS JOIN keeps the ids as the outer loop and INDEXED BY stops the
        planner (which has no statistics) from probing by field alone, which scans every
        row of that facet once per id."""
        if connection.vendor == "sqlite":
            return f"CROSS JOIN {FACET} f INDEXED BY search_facet_entry"
        return f", {FACET} f"

    def _run(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # Searching -----------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        scored = query.sort == "relevance"
        match_sql, match_params, terms = self._match_source(query.text, scored=scored)
        filters = self._filter_sql(query.filters)
        order, after_cond, after_params = self._order(query)
        conditions = " AND ".join(part for part in (*filters.parts, after_cond) if part)
        rows = self._run(
            f"WITH m AS MATERIALIZED ({match_sql}) "
            f"SELECT e.key, e.document, {'m.score' if scored else '0.0'}, e.sort_deadline, "
            f"e.sort_published FROM m JOIN {ENTRY} e ON e.id = m.entry_id"
            f"{' WHERE ' + conditions if conditions else ''} ORDER BY {order} LIMIT %s",
            [*match_params, *filters.params, *after_params, query.size + 1],
        )
        unscored, unscored_params, _terms = self._match_source(query.text, scored=False)
        if connection.vendor == "postgresql" and unscored_params:
            # Match once: an unselective word makes PostgreSQL scan every row's tsvector,
            # so the count and facet queries reuse the matched ids instead.
            ids = [row[0] for row in self._run(unscored, unscored_params)]
            unscored, unscored_params = "SELECT unnest(%s::bigint[]) AS entry_id", [ids]
        total_filters = self._filter_sql(query.filters, column="m.entry_id")
        where = " AND ".join(total_filters.parts)
        total = self._run(
            f"WITH m AS MATERIALIZED ({unscored}) "
            f"SELECT COUNT(*) FROM m{' WHERE ' + where if where else ''}",
            [*unscored_params, *total_filters.params],
        )[0][0]
        hits = [self._hit(row, terms) for row in rows[: query.size]]
        next_after = None
        if len(rows) > query.size:
            last = rows[query.size - 1]
            primary = {"deadline": last[3], "newest": last[4]}.get(query.sort, float(last[2]))
            next_after = [primary, last[0]]
        facets = self._facets(query, unscored, unscored_params)
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
        self, query: SearchQuery, matched: str, match_params: list[Any]
    ) -> dict[str, list[FacetBucket]]:
        """Counts per facet value; a filtered facet is counted without its own filter,
        so people see the alternatives they can add (OR within a facet, AND across)."""
        counts: dict[str, dict[str, int]] = defaultdict(dict)
        filtered = [name for name, values in query.filters.items() if values]
        groups: list[tuple[list[str], str | None]] = [
            ([name for name in FACET_NAMES if name not in filtered], None)
        ] + [([name], name) for name in filtered]
        for fields, skip in groups:
            if not fields:
                continue
            filters = self._filter_sql(query.filters, skip=skip, column="m.entry_id")
            where = " AND ".join(filters.parts)
            marks = ", ".join(["%s"] * len(fields))
            rows = self._run(
                f"WITH m AS MATERIALIZED ({matched}), "
                f"ids AS MATERIALIZED (SELECT m.entry_id FROM m{' WHERE ' + where if where else ''}) "
                f"SELECT f.field, f.value, COUNT(*) FROM ids {self._facet_join()} "
                f"WHERE f.entry_id = ids.entry_id AND f.field IN ({marks}) "
                f"GROUP BY f.field, f.value",
                [*match_params, *filters.params, *fields],
            )
            for field, value, count in rows:
                counts[field][value] = count
        return {
            name: [
                FacetBucket(value, count)
                for value, count in sorted(counts[name].items(), key=lambda kv: (-kv[1], kv[0]))[
                    :FACET_BUCKETS
                ]
            ]
            for name in FACET_NAMES
        }

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
        pairs = list(
            IndexFacet.objects.filter(entry__key=key, field__in=RELATED_FIELDS).values_list(
                "field", "value"
            )
        )
        if not pairs:
            return []
        sql = _Sql()
        sql.add(" OR ".join(["(f.field = %s AND f.value = %s)"] * len(pairs)))
        for field, value in pairs:
            sql.params.extend([field, value])
        kind_sql = " AND e.kind = %s" if kind else ""
        rows = self._run(
            f"SELECT e.document, COUNT(*) AS shared FROM {FACET} f JOIN {ENTRY} e "
            f"ON e.id = f.entry_id WHERE ({sql.parts[0]}) AND e.key <> %s{kind_sql} "
            f"GROUP BY e.id, e.document, e.sort_published, e.key "
            f"ORDER BY shared DESC, e.sort_published DESC, e.key LIMIT %s",
            [*sql.params, key, *([kind] if kind else []), size],
        )
        return [json.loads(doc) if isinstance(doc, str) else doc for doc, _shared in rows]

    # Writing -------------------------------------------------------------------

    def upsert(self, documents: Iterable[Document]) -> int:
        documents = list({doc["key"]: doc for doc in documents}.values())
        if not documents:
            return 0
        with transaction.atomic():
            existing = dict(
                IndexEntry.objects.filter(key__in=[d["key"] for d in documents]).values_list(
                    "key", "id"
                )
            )
            new, changed = [], []
            for document in documents:
                entry = IndexEntry(key=document["key"], **_entry_values(document))
                if document["key"] in existing:
                    entry.pk = existing[document["key"]]
                    changed.append(entry)
                else:
                    new.append(entry)
            columns = [
                "key",
                "kind",
                "title",
                "suggest",
                "terms",
                "sort_deadline",
                "sort_published",
            ]
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {ENTRY} ({', '.join(columns)}, document) "
                    f"VALUES ({', '.join(['%s'] * (len(columns) + 1))})",
                    [
                        [getattr(entry, name) for name in columns]
                        + [json.dumps(entry.document, cls=DjangoJSONEncoder)]
                        for entry in new
                    ],
                )
            if changed:
                IndexEntry.objects.bulk_update(
                    changed,
                    [
                        "kind",
                        "title",
                        "suggest",
                        "terms",
                        "sort_deadline",
                        "sort_published",
                        "document",
                    ],
                    batch_size=500,
                )
                IndexFacet.objects.filter(entry_id__in=[e.pk for e in changed]).delete()
            if new:
                ids = dict(
                    IndexEntry.objects.filter(key__in=[e.key for e in new]).values_list("key", "id")
                )
                for entry in new:
                    entry.pk = ids[entry.key]
            # Plain executemany: the ORM's per-row SQL compilation dominated bulk indexing.
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {FACET} (entry_id, field, value) VALUES (%s, %s, %s)",
                    [
                        (entry.pk, name, value[:200])
                        for entry in [*new, *changed]
                        for name in FACET_NAMES
                        for value in facet_values(entry.document, name)
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
        return None
