"""Discovery benchmark: indexing rate and query latencies at one or more corpus sizes,
on SQLite and PostgreSQL in one run, with how each figure grows between sizes.

Builds a synthetic corpus of calls and assets in four languages (a few real words per
document among Zipf-distributed made-up ones; the run prints how much of the corpus a
one-word query matches) as it indexes it, through the bulk path ``reindex`` takes, then
times a faceted query (words, two filters, highlighting, every facet count),
suggestions per keystroke and related items. Each engine and size runs in a process of
its own on a fresh database (one Django database per process), and a further new
process then answers its first search on the same index: the cold start a new web or
worker process pays. Figures are printed with ratios against baselines measured in the
same run: indexing against building and serialising the documents alone, queries
against fetching one document by key; and, with several sizes, each figure at the
largest size divided by the same figure at the smallest.

    python bench/search.py --docs 100000,1000000            # both engines, both sizes
    python bench/search.py --docs 5000 --engines sqlite     # a quick check that it runs
    python bench/search.py --docs 100000 --engines osmem    # the Elasticsearch API (osmem)

PostgreSQL databases are created on ``--postgres`` as ``<--db-prefix><size>`` and
dropped at the end (``--keep`` leaves them, and the SQLite files, for inspection).

Targets (issues 6 and 22): faceted query p95 <= 50 ms at 100k and at 1M documents;
>= 2,000 docs/s; suggestions p95 <= 30 ms; related items p95 <= 20 ms; a new process's
first search <= 1 s. osmem's timings are not Elasticsearch's: its figures show our code
path, not a cluster.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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
BATCH = 1000
RESULT = "BENCH-RESULT "  # a child's last line: its figures as JSON

# (key, label, unit, target, lower is better): the order of the printed table.
FIGURES: list[tuple[str, str, str, float | None, bool]] = [
    ("docs_per_s", "indexing", "docs/s", 2000, False),
    ("index_ratio", "indexing x baseline", "", None, False),
    ("p50", "faceted query p50", "ms", None, True),
    ("p95", "faceted query p95", "ms", 50, True),
    ("lookup_p50", "one document by key p50", "ms", None, True),
    ("p50_x_lookup", "faceted p50 / by-key p50", "", None, True),
    ("suggest_p50", "suggestions p50", "ms", None, True),
    ("suggest_p95", "suggestions p95", "ms", 30, True),
    ("related_p50", "related items p50", "ms", None, True),
    ("related_p95", "related items p95", "ms", 20, True),
    ("plain_p50", "one word, no filter p50", "ms", None, True),
    ("plain_p95", "one word, no filter p95", "ms", None, True),
    ("plain_stopped", "  of them past the time limit", "count", None, True),
    ("first_ms", "first search after indexing", "ms", None, True),
    ("cold_first_ms", "new process: first search", "ms", 1000, True),
    ("cold_bitmaps_ms", "  of it, loading facet state", "ms", None, True),
    ("cold_setup_ms", "new process: Django setup", "ms", None, True),
    ("facet_state_bytes", "facet state per process", "MB", None, True),
]


# Corpus ------------------------------------------------------------------------------


def filler_vocabulary(rng: random.Random, size: int = 5000) -> tuple[list[str], list[float]]:
    """Made-up words with Zipf weights, so word frequencies look like real text: a
    query word then matches a few percent of the corpus, not a quarter of it."""
    letters = "abcdefghijklmnoprstuvz"
    words = ["".join(rng.choices(letters, k=rng.randint(4, 9))) for _ in range(size)]
    weights = [1 / rank for rank in range(1, size + 1)]
    return words, weights


def synthetic_documents(count: int, seed: int = 6) -> Iterator[dict]:
    """The corpus, one document at a time (a million documents do not fit in memory
    comfortably); the first N of a larger corpus are the corpus of size N."""
    from interlink_search.documents import make_document

    rng = random.Random(seed)
    filler, weights = filler_vocabulary(rng)

    def text(language: str, content: int, fill: int) -> str:
        chosen = rng.sample(VOCABULARY[language], content) + rng.choices(filler, weights, k=fill)
        rng.shuffle(chosen)
        return " ".join(chosen)

    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
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
        yield make_document(
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


# Measuring (in a child process) --------------------------------------------------------


def setup_django(migrate: bool = True) -> None:
    """Django on the database in ``DATABASE_URL`` (the settings read it)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interlink_site.settings.test")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def time_calls(fn: Callable[[], Any], count: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def faceted_query(rng: random.Random):
    """The benchmark's faceted query: one word, a sector and ``kind=asset``, in the
    discovery page's language (one copy per translated page), highlighted, with every
    facet counted."""
    from interlink_search.types import SearchQuery

    language = rng.choice(list(VOCABULARY))
    return SearchQuery(
        text=rng.choice(VOCABULARY[language]),
        filters={"sector": [rng.choice(SECTORS)], "kind": ["asset"]},
        language="en",
    )


def keystrokes(rng: random.Random, count: int) -> list[str]:
    """What the search box sends while someone types: every prefix of a word, from
    the second letter on (a quarter of them a filler word few titles have)."""
    from interlink_search.analysis import fold

    typed: list[str] = []
    filler, _weights = filler_vocabulary(random.Random(6))
    while len(typed) < count:
        language = rng.choice(list(VOCABULARY))
        word = (
            rng.choice(filler[2000:]) if rng.random() < 0.25 else rng.choice(VOCABULARY[language])
        )
        typed += [fold(word)[:n] for n in range(2, len(word) + 1)]
    return typed[:count]


def index_corpus(backend, count: int) -> tuple[float, float]:
    """Index ``count`` documents through the rebuild path; returns (indexing rate,
    baseline rate: building and serialising the documents alone)."""
    building = writing = 0.0
    documents = synthetic_documents(count)
    target = backend.begin_rebuild()
    done = 0
    while done < count:
        started = time.perf_counter()
        batch = [next(documents) for _ in range(min(BATCH, count - done))]
        for document in batch:
            json.dumps(document)
        building += time.perf_counter() - started
        started = time.perf_counter()
        backend.upsert_into(target, batch)
        writing += time.perf_counter() - started
        done += len(batch)
        if done % 100_000 == 0:
            print(f"  indexed {done:,}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    backend.finish_rebuild(target)
    writing += time.perf_counter() - started
    return count / writing, count / building


def measure(engine: str, count: int, queries: int) -> dict[str, Any]:
    """Index the corpus into a fresh database (or osmem) and time the queries; with
    ``count`` 0, time the index the database already has (no indexing figures)."""
    setup_django()
    from django.conf import settings
    from django.db import connection

    from interlink_search.backends import SearchTooSlow, timing
    from interlink_search.types import SearchQuery

    server = None
    if engine == "osmem":
        from osmem_server import OsmemServer

        server = OsmemServer.start(japanese=False)
        settings.SEARCH_URL = server.url
        settings.SEARCH_PLAIN_JSON = True
        settings.SEARCH_TIMEOUT = 60.0
        from interlink_search.backends.elasticsearch import ElasticsearchBackend

        backend: Any = ElasticsearchBackend(prefix="bench")
    else:
        from interlink_search.backends.database import DatabaseBackend

        backend = DatabaseBackend()
    try:
        keys: list[str] = []
        if count:
            rate, baseline = index_corpus(backend, count)
            print(f"  {engine}: {rate:,.0f}/s, baseline {baseline:,.0f}/s", file=sys.stderr)
        else:  # an index that is there already: a sample of its keys to look up
            from interlink_search.models import IndexEntry

            count = IndexEntry.objects.count()
            top = IndexEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
            picked = random.Random(4).sample(range(1, top + 1), min(top, 2000))
            keys = list(IndexEntry.objects.filter(id__in=picked).values_list("key", flat=True))
        rng = random.Random(1)

        def some_key() -> str:
            return rng.choice(keys) if keys else f"bench:{rng.randrange(count)}"

        def faceted() -> None:
            results = backend.search(faceted_query(rng))
            assert results.hits and results.hits[0].highlights, "query must hit and highlight"

        def by_key() -> None:
            key = some_key()
            if server is None:
                from interlink_search.models import IndexEntry

                IndexEntry.objects.only("document").get(key=key)
            else:
                backend.client.get(index=backend.alias, id=key)

        typed = iter(keystrokes(random.Random(3), 10 * queries))

        def suggest() -> None:
            backend.suggest(next(typed), language="en")

        def related() -> None:  # "similar calls" / "related assets" on a page
            backend.related(some_key(), language="en")

        started = time.perf_counter()
        faceted()  # the first search after indexing
        first_ms = (time.perf_counter() - started) * 1000
        sample = [rng.choice(VOCABULARY[lang]) for lang in VOCABULARY for _ in range(3)]
        share = statistics.mean(backend.count([SearchQuery(text=word) for word in sample])) / count
        with timing.recording() as steps:
            query_ms = time_calls(faceted, queries)
        result: dict[str, Any] = {
            "engine": engine if server else f"database, {connection.vendor}",
            "docs": count,
            "word_share": share,
            "p50": statistics.median(query_ms),
            "p95": percentile(query_ms, 0.95),
            "first_ms": first_ms,
            "steps": {
                name: [statistics.median(values), percentile(values, 0.95)]
                for name, values in steps.items()
            },
        }
        if not keys:
            result.update(docs_per_s=rate, baseline=baseline, index_ratio=rate / baseline)
        lookup_ms = time_calls(by_key, queries)
        result["p50_x_lookup"] = result["p50"] / statistics.median(lookup_ms)
        suggest_ms = time_calls(suggest, queries)
        related_ms = time_calls(related, max(queries // 2, 1))
        stopped = 0

        def plain() -> None:  # one word typed into the box: every match is ranked
            nonlocal stopped
            try:
                backend.search(SearchQuery(text=rng.choice(sample), language="en"))
            except SearchTooSlow:
                stopped += 1

        plain_ms = time_calls(plain, max(queries // 4, 1), warmup=0)
        result.update(
            plain_p50=statistics.median(plain_ms),
            plain_p95=percentile(plain_ms, 0.95),
            plain_stopped=stopped,
        )
        result.update(
            lookup_p50=statistics.median(lookup_ms),
            suggest_p50=statistics.median(suggest_ms),
            suggest_p95=percentile(suggest_ms, 0.95),
            related_p50=statistics.median(related_ms),
            related_p95=percentile(related_ms, 0.95),
        )
        if server is None:
            from interlink_search.backends import facet_bitmaps

            result["facet_state_bytes"] = facet_bitmaps.current().memory()
        else:
            result["breakdown"] = engine_breakdown(backend, min(queries, 10), random.Random(2))
        return result
    finally:
        if server is not None:
            server.stop()


def cold_start() -> dict[str, Any]:
    """A new process on an index that exists: how long Django's setup takes, and then
    its first faceted search (which brings the facet state up, however that is done)."""
    started = time.perf_counter()
    setup_django(migrate=False)
    from django.db import connection

    from interlink_search.backends import facet_bitmaps
    from interlink_search.backends.database import DatabaseBackend

    connection.ensure_connection()
    setup_ms = (time.perf_counter() - started) * 1000
    from interlink_search.backends import timing

    backend = DatabaseBackend()
    started = time.perf_counter()
    with timing.recording() as steps:
        results = backend.search(faceted_query(random.Random(1)))
    first_ms = (time.perf_counter() - started) * 1000
    assert results.hits and results.facets, "the first search must answer in full"
    return {
        "cold_setup_ms": setup_ms,
        "cold_first_ms": first_ms,
        "cold_bitmaps_ms": sum(steps.get("facet bitmaps brought up to date", [0])),
        "cold_facet_state_bytes": facet_bitmaps.current().memory(),
    }


# Elasticsearch API (osmem): where a request's time goes -----------------------------------


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

    def variants(query) -> dict[str, list[dict]]:
        body = engine.search_request(query).to_dict()
        facets = engine.facet_requests(query)
        bare = {k: v for k, v in body.items() if k not in ("aggs", "highlight", "suggest")}
        bool_query = body["query"]["bool"]
        words = {"bool": {"must": bool_query.get("must", [])}}
        return {
            "full request (one _msearch)": [body, *(facet for _name, facet in facets)],
            "main search alone": [body],
            "filtered facets' searches alone": [facet for _name, facet in facets],
            "main without highlight": [{k: v for k, v in body.items() if k != "highlight"}],
            "main without aggregations": [{k: v for k, v in body.items() if k != "aggs"}],
            "hits only (no aggs, no highlight)": [bare],
            "words only, size 0": [{"query": words, "size": 0}],
            "words only, size 0, one terms aggregation": [
                {
                    "query": words,
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
        for name, bodies in variants(faceted_query(rng)).items():
            searches = [part for body in bodies for part in ({"index": engine.alias}, body)]
            started = time.perf_counter()
            engine.client.msearch(searches=searches)
            timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
    return [
        (name, statistics.median(values), percentile(values, 0.95))
        for name, values in timings.items()
    ]


# Running the children and printing (the parent process) ----------------------------------


def child(args: list[str], database_url: str) -> dict[str, Any]:
    """Run this script in a new process on ``database_url``; its figures."""
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run(  # its progress goes straight to stderr
        [sys.executable, __file__, *args], env=env, stdout=subprocess.PIPE, text=True, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if done.returncode or not lines:
        sys.stdout.write(done.stdout)
        raise SystemExit(f"bench child {args} failed ({done.returncode})")
    return json.loads(lines[-1][len(RESULT) :])


def postgres_command(server_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql)


def run_engine(engine: str, size: int, options: argparse.Namespace, workdir: Path) -> dict:
    """One engine at one size: a fresh database, the measuring child, then a new
    process's first search on the same index; the database dropped unless ``--keep``."""
    if engine == "postgresql":
        name = f"{options.db_prefix}{size}"
        server_url = f"{options.postgres.rstrip('/')}/postgres"
        postgres_command(server_url, f'DROP DATABASE IF EXISTS "{name}"')
        postgres_command(server_url, f'CREATE DATABASE "{name}"')
        database_url = f"{options.postgres.rstrip('/')}/{name}"
    else:
        path = workdir / f"{engine}-{size}.sqlite3"
        path.unlink(missing_ok=True)
        database_url = f"sqlite:///{path}"
    try:
        print(f"{engine}, {size:,} documents …", file=sys.stderr, flush=True)
        row = child(["--child", engine, "--docs", str(size), "--queries", str(options.queries)],
                    database_url)  # fmt: skip
        if engine != "osmem":
            row.update(child(["--cold"], database_url))
        return row
    finally:
        if not options.keep:
            if engine == "postgresql":
                postgres_command(server_url, f'DROP DATABASE IF EXISTS "{name}"')
            else:
                path.unlink(missing_ok=True)


def show(value: float, unit: str) -> str:
    if unit == "MB":
        return f"{value / 1e6:,.1f} MB"
    if unit == "docs/s":
        return f"{value:,.0f}/s"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "ms":
        return f"{value:,.1f} ms"
    return f"{value:.2f}"


def verdict(value: float, target: float | None, lower: bool) -> str:
    if target is None:
        return ""
    return "met" if (value <= target if lower else value >= target) else "MISSED"


START_LOAD = os.getloadavg()


def report(rows: list[dict], sizes: list[int]) -> None:
    print()
    for when, load in (("start", START_LOAD), ("end", os.getloadavg())):
        print(f"load average at the {when}: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
              f"({os.cpu_count()} cores)")  # fmt: skip
    for engine in dict.fromkeys(row["engine"] for row in rows):
        by_size = {row["docs"]: row for row in rows if row["engine"] == engine}
        first = by_size[sizes[0]]
        print()
        print(f"{engine}: a one-word query matches {first['word_share']:.1%} of the documents")
        head = f"{'figure':<32}" + "".join(f"{size:>14,}" for size in sizes)
        if len(sizes) > 1:
            head += f"{f'{sizes[-1] // 1000}k / {sizes[0] // 1000}k':>12}"
        print(head + "  target")
        for key, label, unit, target, lower in FIGURES:
            if key not in first:
                continue
            line = f"{label:<32}" + "".join(f"{show(by_size[s][key], unit):>14}" for s in sizes)
            if len(sizes) > 1 and first[key]:
                line += f"{by_size[sizes[-1]][key] / first[key]:>11.2f}x"
            goal = f"{'<=' if lower else '>='} {show(target, unit)}" if target else ""
            marks = " ".join(verdict(by_size[s][key], target, lower) for s in sizes)
            print(f"{line}  {goal} {marks}".rstrip())
        steps = first.get("steps") or {}
        if steps:
            print("  faceted query per step (p50 / p95, ms):")
            for name in steps:
                cells = "".join(
                    f"{by_size[s]['steps'].get(name, [0, 0])[0]:>9.1f} /"
                    f"{by_size[s]['steps'].get(name, [0, 0])[1]:>6.1f}"
                    for s in sizes
                )
                print(f"    {name:<28}{cells}")
        for size in sizes:
            for name, p50, p95 in by_size[size].get("breakdown", []):
                print(f"  {size:,}: {name:<46}{p50:>10.1f}ms p50{p95:>10.1f}ms p95")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", default="100000",
                        help="corpus sizes, comma-separated (default 100000)")  # fmt: skip
    parser.add_argument("--queries", type=int, default=200, help="timed queries per figure")
    parser.add_argument("--engines", default="sqlite,postgresql",
                        help="sqlite, postgresql, osmem (comma-separated)")  # fmt: skip
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server (no database name) the databases are made on")  # fmt: skip
    parser.add_argument("--db-prefix", default="bench_search_",
                        help="name prefix of those databases")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--existing", metavar="DATABASE_URL",
                        help="time the index this database has (no indexing; a deployment's, "
                        "or one kept with --keep)")  # fmt: skip
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--cold", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.child:
        print(RESULT + json.dumps(measure(options.child, int(options.docs), options.queries)))
        return
    if options.cold:
        print(RESULT + json.dumps(cold_start()))
        return
    if options.existing:
        row = child(["--child", "existing", "--docs", "0", "--queries", str(options.queries)],
                    options.existing)  # fmt: skip
        row.update(child(["--cold"], options.existing))
        report([row], [row["docs"]])
        return
    sizes = sorted(int(size) for size in options.docs.split(","))
    engines = [engine.strip() for engine in options.engines.split(",") if engine.strip()]
    rows = []
    with tempfile.TemporaryDirectory(prefix="interlink-bench-") as tmp:
        workdir = Path(tmp) if not options.keep else Path(tempfile.mkdtemp(prefix="bench-"))
        for engine in engines:
            for size in sizes:
                rows.append(run_engine(engine, size, options, workdir))
        if options.keep:
            print(f"kept: {workdir}", file=sys.stderr)
    report(rows, sizes)


if __name__ == "__main__":
    main()
