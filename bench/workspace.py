"""Requests per second of the workspace's overview and workplan against a plain page.

A process of 200 tasks and 30 members (the demo's home-care process, enlarged) is served by
gunicorn (production settings) from a PostgreSQL database this script creates and drops.
Every page is requested by the same signed-in team member (one session cookie), the plain
page too: it is an InformationPage holding as much text as the overview, so the ratios
show what the workspace's own work costs. The script also counts each page's queries with
the demo's 26 tasks and with 200, to show the count does not grow with the plan.

    python bench/workspace.py                  # ≈ 1½ minutes: 3 rounds of 5 s per page
    python bench/workspace.py --rounds 6 --seconds 10

Only 127.0.0.1 is ever contacted. Needs the ``server`` and ``postgres`` extras. Run it
under ``flock /tmp/bench.lock`` on a shared machine.
"""

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MANAGE = [sys.executable, str(ROOT / "site" / "manage.py")]
TASKS = 200
MEMBERS = 30
TARGET = 0.8


def _pages_module():
    """bench/pages.py's database, load and summary helpers (loaded by path: bench/ is no package)."""
    spec = importlib.util.spec_from_file_location("bench_pages", HERE / "pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare(base_url: str) -> dict:
    """Runs inside Django: enlarges the demo process, makes the plain page and a session."""
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
    import django

    django.setup()
    import datetime

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from interlink_blocks.models import InformationPage, MunicipalityHomePage
    from interlink_blocks.workspace import demo
    from interlink_blocks.workspace.models import Membership, Objective, Process, Task
    from interlink_blocks.workspace.services import team

    process = Process.objects.get(call__slug=demo.DEMO_CALL, call__locale__language_code="en")
    member = Membership.objects.get(process=process, user__email=demo.DEMO_MEMBER_EMAIL)
    # A real session in the database, as gunicorn's workers will read it (force_login would
    # go through django-axes' login signal, which wants a client address).
    session = SessionStore()
    session[SESSION_KEY] = str(member.user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = member.user.get_session_auth_hash()
    session.create()
    host = base_url.split("//", 1)[1]
    client = Client(HTTP_HOST=host, REMOTE_ADDR="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    urls = {
        "overview": reverse("interlink_workspace:overview", args=[process.pk]),
        "workplan": reverse("interlink_workspace:workplan", args=[process.pk]),
    }

    def count_queries() -> dict:
        counts = {}
        for name, url in urls.items():
            client.get(url)
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[name] = len(queries.captured_queries)
        return counts

    small = {"tasks": Task.objects.filter(process=process).count(), **count_queries()}
    for i in range(len(process.memberships.all()), MEMBERS):
        user = demo.account(f"bench{i}@valmora.example", f"Team member {i}")
        team.add_member(process, user, team_role="citizen", name=f"Team member {i}")
    members = list(process.memberships.all())
    objectives = list(Objective.objects.filter(process=process))
    today = timezone.localdate()
    existing = Task.objects.filter(process=process).count()
    for i in range(existing, TASKS):
        start = today + datetime.timedelta(days=(i * 5) % 400 - 100)
        task = Task.objects.create(
            process=process,
            objective=objectives[i % len(objectives)],
            title=f"Bench task {i}: interview residents of district {i % 17}",
            start_date=start,
            end_date=start + datetime.timedelta(days=20 + i % 40),
            status=["planned", "in_progress", "done"][i % 3],
            position=1000 + i,
        )
        task.assignees.add(members[i % len(members)], members[(i * 7) % len(members)])
    large = {"tasks": Task.objects.filter(process=process).count(), **count_queries()}

    home = MunicipalityHomePage.objects.filter(locale__language_code="en").first()
    overview_html = client.get(urls["overview"]).content.decode()
    words = _main_text(overview_html).split(" ")
    plain = InformationPage.objects.child_of(home).filter(slug="bench-workspace-plain").first()
    if plain is None:
        chunks = [" ".join(words[i : i + 60]) for i in range(0, len(words), 60)]
        body = [{"type": "paragraph", "value": f"<p>{chunk}</p>"} for chunk in chunks]
        plain = InformationPage(title="Plain page", slug="bench-workspace-plain", body=body)
        home.add_child(instance=plain)
        plain.save_revision().publish()
    urls["plain"] = plain.url
    return {
        "urls": urls,
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "queries": {"small": small, "large": large},
        "members": process.memberships.count(),
    }


def _main_text(html: str) -> str:
    import re
    from html import unescape

    main = html[html.find("<main") : html.find("</main>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).strip()


def main(argv=None) -> int:
    pages = _pages_module()
    args = pages.parse_args(argv)
    port = pages.free_port()
    base_url = f"http://127.0.0.1:{port}"
    database = pages.create_database(args.postgres)
    media = tempfile.TemporaryDirectory(prefix="interlink-bench-")
    env = pages.server_env(args.postgres, database, base_url, media.name)
    server = None
    try:
        pages.load_demo(env, database, base_url)
        prepared = subprocess.run(
            [sys.executable, __file__, "--prepare", base_url],
            env=env,
            capture_output=True,
            text=True,
        )
        if prepared.returncode:
            raise SystemExit(f"preparing the process failed:\n{prepared.stderr[-3000:]}")
        data = json.loads(prepared.stdout.strip().splitlines()[-1])
        headers = {"Cookie": data["cookie"]}
        server = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "interlink_site.wsgi:application",
                "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                "--worker-class", "gthread", "--threads", str(args.threads),
                "--keep-alive", "5", "--log-level", "warning",
            ],
            env=env,
            cwd=ROOT,
        )  # fmt: skip
        pages.wait_for(port, data["urls"]["plain"])
        names = ["plain", "overview", "workplan"]
        for name in names:
            pages.hammer(port, data["urls"][name], args.warmup, args.clients, headers)
        runs: dict[str, list] = {name: [] for name in names}
        for round_number in range(args.rounds):
            order = names[round_number % 3 :] + names[: round_number % 3]
            for name in order:
                runs[name].append(
                    pages.hammer(port, data["urls"][name], args.seconds, args.clients, headers)
                )
        report(args, data, {name: pages.summarise(runs[name]) for name in names})
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=15)
        pages.drop_database(args.postgres, database)
        media.cleanup()
    return 0


def report(args, data: dict, results: dict) -> None:
    small, large = data["queries"]["small"], data["queries"]["large"]
    print(
        f"\n{args.rounds} rounds × {args.seconds:g} s per page, {args.clients} keep-alive clients, "
        f"gunicorn {args.workers} workers × {args.threads} threads, PostgreSQL; "
        f"{large['tasks']} tasks, {data['members']} members, one signed-in member"
    )
    print(
        f"{'page':<10}{'req/s':>9}{'p95 ms':>9}{'errors':>8}   queries ({small['tasks']} → {large['tasks']} tasks)"
    )
    for name, result in results.items():
        queries = f"{small[name]} → {large[name]}" if name in small else ""
        print(
            f"{name:<10}{result['rps']:>9.1f}{result['p95_ms']:>9.1f}{result['errors']:>8}   {queries}"
        )
    for name in ("overview", "workplan"):
        ratio = results[name]["rps"] / results["plain"]["rps"]
        verdict = "meets" if ratio >= TARGET else "BELOW"
        bounded = "bounded" if small[name] == large[name] else "GROWS"
        print(
            f"throughput {name}/plain: {ratio:.2f}  ({verdict} the {TARGET} target); "
            f"queries {bounded}"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        print(json.dumps(prepare(sys.argv[2])))
        sys.exit(0)
    sys.exit(main())
