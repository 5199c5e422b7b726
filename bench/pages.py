"""Requests per second and p95 latency of a call page against a plain Wagtail page.

Both pages are served in the same run by gunicorn (production settings) from a
PostgreSQL database this script creates and drops. The plain page is a InformationPage
holding the same amount of text as the call page, so the ratio shows what Interlink's
structured content (taxonomies, timeline, related assets, sections) costs. The plain
page sits as deep in the page tree as the call, so routing costs the same.

What is measured is the steady state a node serves most: anonymous visitors without a
session. The call page's structured parts (facts, timeline, participation, reuse,
similar calls, related assets) are then cached fragments of ``interlink_blocks.fragments``
in Django's default per-process cache, checked against the database's fragment
generation, which the call index reads in the same query that fetches the call (it
routes to a call in one query where Wagtail's default routing, which the plain page's
parent uses, needs two); the participation forms get each request's own CSRF token.
Nothing caches whole responses, so the plain page is rendered in full as Wagtail renders
it, and the call page's body is rendered on every request like the plain page's. Signed-in people and remembered participants get the participation
section rendered fresh; the breakdown printed at the end shows each part's cost both
ways ("uncached" is what a view costs after a change, or for a personal section).

    python bench/pages.py                  # ≈ 1 minute: 3 rounds of 5 s per page
    python bench/pages.py --rounds 6 --seconds 10 --clients 8

Only 127.0.0.1 is ever contacted. Needs the ``server`` and ``postgres`` extras.
"""

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "site" / "manage.py")]
CALL_SLUG = "home-care-requests"
PLAIN_SLUG = "bench-plain-page"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="measurement rounds per page")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one round")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per page")
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL (the script creates and drops its own database)",
    )
    return parser.parse_args(argv)


# Database -----------------------------------------------------------------------------------


def _admin_connection(server_url: str):
    import psycopg

    return psycopg.connect(f"{server_url}/postgres", autocommit=True)


def create_database(server_url: str) -> str:
    name = f"interlink_bench_{os.getpid()}"
    with _admin_connection(server_url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(server_url: str, name: str) -> None:
    with _admin_connection(server_url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Content ------------------------------------------------------------------------------------


def main_text(html: str) -> str:
    """The visible text inside <main>, whitespace collapsed."""
    main = html[html.find("<main") : html.find("</main>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).strip()


def prepare_pages(base_url: str) -> dict:
    """Runs inside Django: a InformationPage next to the demo call, with as much text as the call."""
    # Other benchmarks in bench/ (the script's directory) must not shadow the project's apps.
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from interlink_blocks.models import CallPage, InformationPage, MunicipalityHomePage

    call = CallPage.objects.get(slug=CALL_SLUG)
    host = base_url.split("//", 1)[1]
    client = Client(HTTP_HOST=host)
    call_text = main_text(client.get(call.url).content.decode())
    home = MunicipalityHomePage.objects.get()
    # The plain page sits as deep in the tree as the call (home → section → page), so
    # Wagtail's routing costs the same for both and the ratio shows Interlink's own cost.
    section = InformationPage.objects.child_of(home).filter(slug="bench-section").first()
    if section is None:
        section = home.add_child(instance=InformationPage(title="Section", slug="bench-section"))
        section.save_revision().publish()
    plain = InformationPage.objects.child_of(section).filter(slug=PLAIN_SLUG).first()
    if plain is None:
        words = call_text.split(" ")
        chunks = [" ".join(words[i : i + 60]) for i in range(0, len(words), 60)]
        body = [{"type": "paragraph", "value": f"<p>{chunk}</p>"} for chunk in chunks]
        plain = InformationPage(title=call.title, slug=PLAIN_SLUG, body=body, show_in_menus=False)
        section.add_child(instance=plain)
        plain.save_revision().publish()
    result = {"call": call.url, "plain": plain.url}
    for name, url in list(result.items()):
        client.get(url)  # warm caches, then count the queries of a steady-state request
        with CaptureQueriesContext(connection) as queries:
            text = main_text(client.get(url).content.decode())
        result[f"{name}_queries"] = len(queries.captured_queries)
        result[f"{name}_text_chars"] = len(text)
    result["breakdown"] = call_page_breakdown(client, call, plain)
    return result


def _mean_ms(function, repeat: int = 20) -> float:
    function()
    started = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - started) / repeat * 1000


def _without_sections(client, call):
    """The call page with the optional apps' sections switched off (Wagtail's hook registry)."""
    from wagtail import hooks

    registered = hooks._hooks.get("interlink_call_page_sections", [])
    hooks._hooks["interlink_call_page_sections"] = []
    try:
        return client.get(call.url)
    finally:
        hooks._hooks["interlink_call_page_sections"] = registered


def _uncached(function):
    """``function`` run with the call page's fragment cache switched off (every part rendered)."""
    from interlink_blocks import fragments

    def run():
        cache_key = fragments.cache_key
        fragments.cache_key = lambda *args, **kwargs: None
        try:
            return function()
        finally:
            fragments.cache_key = cache_key

    return run


def call_page_breakdown(client, call, plain) -> list[tuple[str, float, int]]:
    """In-process cost (ms, queries) of the call page's parts, to point profiling somewhere.

    The call page's structured parts are cached fragments (``interlink_blocks.fragments``):
    rows marked "uncached" show what each part costs when it is rendered (once per change
    of what it shows), the others what a view costs once it is cached.
    """
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from wagtail import hooks

    def request():
        # A fresh request each time, so each includes its read of the fragment generation.
        made = RequestFactory().get(call.url, HTTP_HOST=client.defaults["HTTP_HOST"])
        made.user = AnonymousUser()
        return made

    parts = [
        ("whole call page", lambda: client.get(call.url)),
        ("whole call page, fragments uncached", _uncached(lambda: client.get(call.url))),
        ("whole plain page", lambda: client.get(plain.url)),
        (
            "timeline (uncached)",
            lambda: render_to_string("interlink_blocks/includes/timeline.html", {"call": call}),
        ),
    ]
    for hook in hooks.get_hooks("interlink_call_page_sections"):
        name = f"section {hook.__module__}"
        parts.append((name, lambda hook=hook: hook(request(), call)))
        parts.append((f"{name} (uncached)", _uncached(lambda hook=hook: hook(request(), call))))
    parts.append(
        ("whole call page without optional sections", lambda: _without_sections(client, call))
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = []
    for label, function in parts:
        call.__dict__.pop("schema_phases", None)
        # Django clears the query log when a request starts; start from an empty log.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            function()
        count = len(queries.captured_queries)  # read now: later requests reset the log
        rows.append((label, _mean_ms(function), count))
    return rows


# Load ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, path: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    raise SystemExit(f"server on port {port} did not answer {path}")


def hammer(port: int, path: str, seconds: float, clients: int, headers: dict | None = None) -> dict:
    """``clients`` threads, each a keep-alive connection, GETting ``path`` for ``seconds``
    (with ``headers`` besides Host: a session cookie, say)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client() -> None:
        mine: list[float] = []
        failures = 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                connection.request(
                    "GET", path, headers={"Host": f"127.0.0.1:{port}", **(headers or {})}
                )
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failures += 1
                    continue
                mine.append(time.perf_counter() - started)
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                failures += 1
                connection.close()
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failures

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "latencies": latencies,
        "errors": errors[0],
    }


def summarise(runs: list[dict]) -> dict:
    latencies = sorted(value for run in runs for value in run["latencies"])
    requests = sum(run["requests"] for run in runs)
    seconds = sum(run["seconds"] for run in runs)
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) >= 20 else float("nan")
    return {
        "rps": requests / seconds,
        "p95_ms": p95 * 1000,
        "requests": requests,
        "errors": sum(run["errors"] for run in runs),
    }


# Main ---------------------------------------------------------------------------------------


def server_env(postgres: str, database: str, base_url: str, scratch: str) -> dict[str, str]:
    """The environment of the bench's gunicorn and manage.py runs: production settings on
    ``database``, files under the temporary folder ``scratch``."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "interlink_site.settings.production",
        "DATABASE_URL": f"{postgres}/{database}",
        "SECRET_KEY": "bench-only-secret-key",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": base_url,
        "MEDIA_ROOT": os.path.join(scratch, "media"),
        "STATIC_ROOT": os.path.join(scratch, "static"),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "site")]),
    }


def load_demo(env: dict[str, str], database: str, base_url: str) -> None:
    """Migrates the bench's database and loads the demo municipality into it."""
    print(f"PostgreSQL database {database}; migrating and loading the demo…", flush=True)
    subprocess.run([*MANAGE, "migrate", "--no-input", "-v", "0"], env=env, check=True)
    subprocess.run(
        [*MANAGE, "load_demo", "--base-url", base_url],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    database = create_database(args.postgres)
    media = tempfile.TemporaryDirectory(prefix="interlink-bench-")
    env = server_env(args.postgres, database, base_url, media.name)
    server = None
    try:
        load_demo(env, database, base_url)
        prepared = subprocess.run(
            [sys.executable, __file__, "--prepare", base_url],
            env=env,
            capture_output=True,
            text=True,
        )
        if prepared.returncode:
            raise SystemExit(f"preparing the pages failed:\n{prepared.stderr[-3000:]}")
        pages = json.loads(prepared.stdout.strip().splitlines()[-1])
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "interlink_site.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(args.threads),
                "--keep-alive",
                "5",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        wait_for(port, pages["call"])
        for path in (pages["call"], pages["plain"]):
            hammer(port, path, args.warmup, args.clients)
        runs: dict[str, list] = {"call": [], "plain": []}
        for round_number in range(args.rounds):
            # Alternate the order so neither page always runs first.
            order = ["call", "plain"] if round_number % 2 == 0 else ["plain", "call"]
            for name in order:
                runs[name].append(hammer(port, pages[name], args.seconds, args.clients))
        report(args, pages, summarise(runs["call"]), summarise(runs["plain"]))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=15)
        drop_database(args.postgres, database)
        media.cleanup()
    return 0


def report(args, pages: dict, call: dict, plain: dict) -> None:
    print(
        f"\n{args.rounds} rounds × {args.seconds:g} s per page, {args.clients} keep-alive clients, "
        f"gunicorn {args.workers} workers × {args.threads} threads, PostgreSQL"
    )
    print(f"{'page':<8}{'path':<34}{'text':>7}{'queries':>9}{'req/s':>9}{'p95 ms':>9}{'errors':>8}")
    for name, result in (("call", call), ("plain", plain)):
        print(
            f"{name:<8}{pages[name]:<34}{pages[name + '_text_chars']:>7}"
            f"{pages[name + '_queries']:>9}{result['rps']:>9.1f}{result['p95_ms']:>9.1f}"
            f"{result['errors']:>8}"
        )
    print("\nwhere the call page's time goes (in-process, one request at a time):")
    for label, milliseconds, queries in pages["breakdown"]:
        print(f"  {label:<66}{milliseconds:>7.1f} ms{queries:>5} queries")
    throughput = call["rps"] / plain["rps"]
    latency = plain["p95_ms"] / call["p95_ms"]
    verdict = "meets" if throughput >= 0.9 else "BELOW"
    print(f"\nthroughput ratio call/plain: {throughput:.2f}  ({verdict} the 0.9 target)")
    print(f"p95 latency ratio plain/call: {latency:.2f}  (1.0 = as fast as the plain page)")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        print(json.dumps(prepare_pages(sys.argv[2])))
        sys.exit(0)
    sys.exit(main())
