"""Discovery benchmark: bulk indexing rate and faceted-query latency, both backends.

Builds a synthetic corpus of calls and assets in four languages (a few real words per
document among Zipf-distributed made-up ones; the run prints how much of the corpus a
one-word query matches), indexes it into the
database backend (SQLite file, or PostgreSQL with --database-url) and into the
Elasticsearch backend (osmem-server on loopback), then times a faceted query with two
filters and highlighting. Figures are printed with ratios against baselines measured
in the same run: indexing against building and serialising the documents alone,
queries against fetching one document by key from the same backend.

    python bench/search.py                 # 100,000 documents, the issue's corpus size
    python bench/search.py --docs 5000     # a quick check that it runs

Targets (issue 6): p95 <= 50 ms per backend at 100k documents; >= 2,000 docs/s.
osmem's timings are not Elasticsearch's: its figures show our code path, not a cluster.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

VOCABULARY = {
    "en": "home care service library bus night cycling housing school park waste energy "
    "youth elderly health mobility workshop survey blueprint guide canvas data".split(),
    "es": "cuidado servicio biblioteca autobús noche bicicleta vivienda escuela parque "
    "residuos energía jóvenes mayores salud movilidad taller encuesta guía datos".split(),
    "it": "assistenza servizio biblioteca autobus notte bicicletta casa scuola parco "
    "rifiuti energia giovani anziani salute mobilità laboratorio sondaggio guida".split(),
    "lv": "aprūpe pakalpojums bibliotēka autobuss nakts velosipēds mājoklis skola parks "
    "atkritumi enerģija jaunieši veselība mobilitāte darbnīca aptauja ceļvedis".split(),
}
SECTORS = ["social-health-care", "housing-building", "employment", "education", "mobility",
           "environment", "culture-leisure", "democracy-participation"]  # fmt: skip
FORMS = ["guide", "canvas", "checklist", "survey_template", "service_blueprint", "dataset"]
LICENCES = ["CC-BY-4.0", "CC0-1.0", "EUPL-1.2", "MIT"]
MUNICIPALITIES = [f"Municipality {n}" for n in range(40)]


def setup_django(database_url: str | None, workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interlink_site.settings.test")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    import django

    django.setup()  # the settings read DATABASE_URL (interlink_site/databases.py)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def filler_vocabulary(rng: random.Random, size: int = 5000) -> tuple[list[str], list[float]]:
    """Made-up words with Zipf weights, so word frequencies look like real text: a
    query word then matches a few percent of the corpus, not a quarter of it."""
    letters = "abcdefghijklmnoprstuvz"
    words = ["".join(rng.choices(letters, k=rng.randint(4, 9))) for _ in range(size)]
    weights = [1 / rank for rank in range(1, size + 1)]
    return words, weights


def synthetic_documents(count: int, seed: int = 6) -> list[dict]:
    from interlink_search.documents import make_document

    rng = random.Random(seed)
    filler, weights = filler_vocabulary(rng)

    def text(language: str, content: int, fill: int) -> str:
        chosen = rng.sample(VOCABULARY[language], content) + rng.choices(filler, weights, k=fill)
        rng.shuffle(chosen)
        return " ".join(chosen)

    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    documents = []
    for n in range(count):
        language = rng.choice(list(VOCABULARY))
        kind = "call" if n % 3 == 0 else "asset"
        facets: dict = {"sector": rng.sample(SECTORS, rng.randint(1, 2))}
        if kind == "call":
            facets.update(
                status=rng.choice(["open", "closed", "in_progress"]),
                phase=rng.choice(["engage", "design", "build", "sustain"]),
                deadline=(start + datetime.timedelta(days=rng.randint(0, 900))).date(),
                participants=["citizens"],
            )
        else:
            facets.update(asset_form=rng.choice(FORMS), licence=rng.choice(LICENCES))
        documents.append(
            make_document(
                key=f"bench:{n}",
                kind=kind,
                origin="local" if n % 4 else "federated",
                title=text(language, 2, 3).capitalize(),
                summary=text(language, 2, 20),
                text=text(language, 2, 60),
                url=f"/bench/{n}/",
                municipality=rng.choice(MUNICIPALITIES),
                languages=[language],
                published_at=start + datetime.timedelta(minutes=n),
                **facets,
            )
        )
    return documents


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def time_calls(fn, count: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def bench_backend(name, backend, documents, queries: int, rng: random.Random, baseline_rate):
    from interlink_search.types import SearchQuery

    # The bulk path ``reindex`` takes: a rebuild target (for Elasticsearch a new index
    # without periodic refreshes), batches written into it, then made live.
    batch = 1000
    started = time.perf_counter()
    target = backend.begin_rebuild()
    for offset in range(0, len(documents), batch):
        backend.upsert_into(target, documents[offset : offset + batch])
    backend.finish_rebuild(target)
    rate = len(documents) / (time.perf_counter() - started)

    def faceted() -> None:
        language = rng.choice(list(VOCABULARY))
        results = backend.search(
            SearchQuery(
                text=rng.choice(VOCABULARY[language]),
                filters={"sector": [rng.choice(SECTORS)], "kind": ["asset"]},
                language="en",  # as the discovery page asks: one copy per translated page
            )
        )
        assert results.hits and results.hits[0].highlights, "query must hit and highlight"

    def by_key() -> None:
        key = f"bench:{rng.randrange(len(documents))}"
        if name.startswith("database"):
            from interlink_search.models import IndexEntry

            IndexEntry.objects.only("document").get(key=key)
        else:
            backend.client.get(index=backend.alias, id=key)

    started = time.perf_counter()
    faceted()  # the first search after indexing: the database backend builds its bitmaps
    first_ms = (time.perf_counter() - started) * 1000
    if name.startswith("database"):
        sample = [rng.choice(VOCABULARY[lang]) for lang in VOCABULARY for _ in range(3)]
        share = statistics.mean(
            backend.search(SearchQuery(text=word, size=1)).total for word in sample
        ) / len(documents)
        print(f"a one-word query matches {share:.1%} of the documents on average")

    def related() -> None:  # "similar calls" / "related assets" on a page
        backend.related(f"bench:{rng.randrange(len(documents))}", language="en")

    query_ms = time_calls(faceted, queries)
    lookup_ms = time_calls(by_key, queries)
    related_ms = time_calls(related, max(queries // 2, 1))
    return {
        "backend": name,
        "docs_per_s": rate,
        "index_ratio": rate / baseline_rate,
        "p50": statistics.median(query_ms),
        "p95": percentile(query_ms, 0.95),
        "lookup_p50": statistics.median(lookup_ms),
        "first_ms": first_ms,
        "related_p50": statistics.median(related_ms),
        "related_p95": percentile(related_ms, 0.95),
    }


def previous_shape(body: dict) -> dict:
    """The request as this backend sent it earlier still: words as the query, filters
    as a post_filter, and one ``filter`` aggregation (the other facets' filters) per
    facet."""
    from interlink_search.facets import FACET_NAMES

    query = body["query"]["bool"]
    filters = query.get("filter", [])

    def others(name: str) -> list:
        return [f for f in filters if name not in f.get("terms", {})]

    return {
        **{k: v for k, v in body.items() if k not in ("query", "aggs")},
        "query": {"bool": {"must": query.get("must", [])}},
        "post_filter": {"bool": {"filter": filters}},
        "aggs": {
            name: {
                "filter": {"bool": {"filter": others(name)}},
                "aggs": {"values": {"terms": {"field": name, "size": 30}}},
            }
            for name in FACET_NAMES
        },
    }


def global_shape(body: dict, facets: list[tuple[str, dict]]) -> dict:
    """The request as this backend sent it before: the filtered facets counted by
    ``filter`` aggregations under one ``global`` aggregation of the main search."""
    aggs = dict(body.get("aggs", {}))
    aggs["filtered_facets"] = {
        "global": {},
        "aggs": {name: {"filter": facet["query"], "aggs": facet["aggs"]} for name, facet in facets},
    }
    return {**body, "aggs": aggs}


def engine_breakdown(engine, queries: int, rng: random.Random) -> list[tuple[str, float, float]]:
    """Where the engine spends a faceted query: what ``search`` sends (one ``_msearch``
    of the main search and a size-0 search per filtered facet), timed whole and with
    parts removed, each sent as one ``_msearch``. The differences name the expensive
    part (osmem is not Elasticsearch)."""
    from interlink_search.types import SearchQuery

    def variants(query: SearchQuery) -> dict[str, list[dict]]:
        body = engine.search_request(query).to_dict()
        facets = engine.facet_requests(query)
        bare = {k: v for k, v in body.items() if k not in ("aggs", "highlight", "suggest")}
        bool_query = body["query"]["bool"]
        return {
            "full request (one _msearch)": [body, *(facet for _name, facet in facets)],
            "main search alone": [body],
            "filtered facets' searches alone": [facet for _name, facet in facets],
            "main without highlight": [{k: v for k, v in body.items() if k != "highlight"}],
            "main without aggregations": [{k: v for k, v in body.items() if k != "aggs"}],
            "hits only (no aggs, no highlight)": [bare],
            "words only, size 0": [
                {"query": {"bool": {"must": bool_query.get("must", [])}}, "size": 0}
            ],
            "words only, size 0, one terms aggregation": [
                {
                    "query": {"bool": {"must": bool_query.get("must", [])}},
                    "size": 0,
                    "aggs": {"sector": {"terms": {"field": "sector", "size": 30}}},
                }
            ],
            "filters only, size 0": [
                {"query": {"bool": {"filter": bool_query.get("filter", [])}}, "size": 0}
            ],
            "before: filtered facets under a global agg": [global_shape(body, facets)],
            "earlier: post_filter + a filter agg per facet": [previous_shape(body)],
        }

    timings: dict[str, list[float]] = {}
    for _ in range(queries):
        language = rng.choice(list(VOCABULARY))
        query = SearchQuery(
            text=rng.choice(VOCABULARY[language]),
            filters={"sector": [rng.choice(SECTORS)], "kind": ["asset"]},
            language="en",
        )
        for name, bodies in variants(query).items():
            searches = [part for body in bodies for part in ({"index": engine.alias}, body)]
            started = time.perf_counter()
            engine.client.msearch(searches=searches)
            timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
    return [
        (name, statistics.median(values), percentile(values, 0.95))
        for name, values in timings.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--docs", type=int, default=100_000, help="corpus size (default 100000, the issue's)"
    )
    parser.add_argument("--queries", type=int, default=200, help="timed queries per backend")
    parser.add_argument("--database-url", help="an empty PostgreSQL database to use instead")
    parser.add_argument("--skip-elasticsearch", action="store_true")
    args = parser.parse_args()

    breakdown: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="interlink-bench-") as tmp:
        setup_django(args.database_url, Path(tmp))
        from django.conf import settings
        from django.db import connection

        started = time.perf_counter()
        documents = synthetic_documents(args.docs)
        for document in documents:
            json.dumps(document)
        baseline_rate = len(documents) / (time.perf_counter() - started)
        print(f"corpus: {len(documents)} documents; baseline (build + serialise): "
              f"{baseline_rate:,.0f} docs/s")  # fmt: skip

        from interlink_search.backends.database import DatabaseBackend

        rows = [
            bench_backend(
                f"database ({connection.vendor})",
                DatabaseBackend(),
                documents,
                args.queries,
                random.Random(1),
                baseline_rate,
            )
        ]
        if not args.skip_elasticsearch:
            from osmem_server import OsmemServer

            with OsmemServer.start(japanese=False) as server:
                settings.SEARCH_URL = server.url
                settings.SEARCH_PLAIN_JSON = True
                settings.SEARCH_TIMEOUT = 60.0
                from interlink_search.backends.elasticsearch import ElasticsearchBackend

                engine = ElasticsearchBackend(prefix="bench")
                rows.append(
                    bench_backend(
                        "elasticsearch (osmem)",
                        engine,
                        documents,
                        args.queries,
                        random.Random(1),
                        baseline_rate,
                    )
                )
                breakdown = engine_breakdown(engine, min(args.queries, 10), random.Random(2))

    print()
    print(
        f"{len(documents):,} documents{'' if len(documents) >= 100_000 else ' (the targets are for 100,000)'}"
    )
    print(f"{'backend':<24}{'index docs/s':>14}{'x baseline':>12}{'query p50':>12}"
          f"{'p95':>9}{'p50 x lookup':>14}  targets (p95<=50ms, >=2000 docs/s)")  # fmt: skip
    for row in rows:
        verdict = "met" if row["p95"] <= 50 and row["docs_per_s"] >= 2000 else "MISSED"
        print(
            f"{row['backend']:<24}{row['docs_per_s']:>14,.0f}{row['index_ratio']:>12.2f}"
            f"{row['p50']:>10.1f}ms{row['p95']:>7.1f}ms"
            f"{row['p50'] / row['lookup_p50']:>14.1f}  {verdict}"
        )

    for row in rows:
        print(f"{row['backend']}: first search after indexing {row['first_ms']:,.0f} ms")
    for row in rows:
        print(
            f"{row['backend']}: related items p50 {row['related_p50']:.1f}ms, "
            f"p95 {row['related_p95']:.1f}ms"
        )
    if breakdown:
        print()
        print("Elasticsearch API (osmem): the same request body sent whole and in parts")
        for name, p50, p95 in breakdown:
            print(f"  {name:<46}{p50:>10.1f}ms p50{p95:>10.1f}ms p95")


if __name__ == "__main__":
    main()
