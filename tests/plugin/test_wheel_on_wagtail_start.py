"""Interlink as an adopter meets it (issue #21, item 3): the built wheel on ``wagtail start``.

The test builds the distribution (``conftest.distribution``), makes a fresh virtual
environment, installs the *wheel* there (not the repository; offline, from the wheelhouse
``scripts/test_setup.py`` prepares), runs ``wagtail start`` with Wagtail's project template
unchanged and applies ``docs/adopting.md`` as written: the lines under its
``<!-- adopting: … -->`` markers are read from the guide and put where it says. Then
``manage.py check`` and ``migrate`` must pass, and with the web server and the worker the
guide names running, a published call must federate (WebFinger, the actor, the call as an
ActivityStreams object), appear on the discovery page, the sign-in by code and the
workspace must answer, and the host's own home page (Wagtail's welcome page) must still
render.

One virtual environment serves both databases; the SQLite and PostgreSQL sites are set up
and checked in parallel (the PostgreSQL one when the suite itself runs on PostgreSQL, as
CI does). The SQLite site also runs the guide's subset (content and participation only).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from tests.support.processes import LOOPBACK, Process, free_port, wait_until
from tests.support.wheelhouse import ensure_wheelhouse

from .conftest import ROOT

pytestmark = [pytest.mark.plugin, pytest.mark.e2e, pytest.mark.xdist_group("plugin")]

GUIDE = ROOT / "docs" / "adopting.md"
WAGTAIL_PAGES = '    path("", include(wagtail_urls)),\n'
CALL_TITLE = "Plan the riverside park together"
SITE_NAME = "Riverside Host"
ACTIVITY_JSON = "application/activity+json"
# A loaded two-core machine needs minutes for Wagtail's and Interlink's migrations.
STEP_TIMEOUT = 900
READY_TIMEOUT = 180


def guide_block(name: str) -> str:
    """The fenced code block right after ``<!-- adopting: name -->`` in docs/adopting.md."""
    text = GUIDE.read_text()
    marker = f"<!-- adopting: {name} -->"
    assert text.count(marker) == 1, f"docs/adopting.md has no single {marker}"
    after = text.split(marker, 1)[1].lstrip()
    assert after.startswith("```"), f"{marker} is not followed by a code block"
    return after.split("\n", 1)[1].split("```", 1)[0]


def code_lines(block: str) -> list[str]:
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_the_guide_adopts_every_app_in_five_settings_lines_and_one_url_line():
    """Ensures that the guide's settings for every app take at most five lines (SQLite's
    included), its URL lines at most two, and that the subset and worker lines this test
    applies are there."""
    assert len(code_lines(guide_block("settings") + guide_block("sqlite"))) <= 5
    assert len(code_lines(guide_block("urls"))) <= 2
    assert "adoption.apps(INSTALLED_APPS, " in guide_block("subset")
    assert code_lines(guide_block("worker"))[0].startswith("python manage.py ")


SETUP_CONTENT = """
import datetime, json
from django.utils import timezone
from wagtail.models import Site
from interlink_blocks.models import CallIndexPage, CallPage, Sector

site = Site.objects.get(is_default_site=True)
site.hostname, site.port, site.site_name = "127.0.0.1", {port}, {site_name!r}
site.save()
home = site.root_page.specific
calls = home.add_child(instance=CallIndexPage(title="Calls", slug="calls"))
calls.save_revision().publish()
today = timezone.localdate()
call = calls.add_child(instance=CallPage(
    title={title!r},
    summary="Residents decide together what the riverside park should offer.",
    status="open", phase="engage", participant_types=["citizens"],
    opens_at=today - datetime.timedelta(days=1), deadline=today + datetime.timedelta(days=30),
))
call.sectors = list(Sector.objects.all()[:1])
call.save_revision().publish()
from interlink_blocks.workspace.services.tree import open_process
process = open_process(call)
print("@@" + json.dumps({{"home": home.url, "call": call.url, "home_type": type(home).__name__,
                         "workspace": f"/workspace/{{process.pk}}/"}}))
"""


@dataclass
class Host:
    """One ``wagtail start`` site with the guide applied, its server and worker."""

    database: str
    root: Path
    python: Path
    env: dict
    port: int = field(default_factory=free_port)
    urls: dict = field(default_factory=dict)
    check_output: str = ""
    processes: list[Process] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def manage(self, *args: str, settings: str | None = None) -> subprocess.CompletedProcess:
        env = {**self.env, **({"DJANGO_SETTINGS_MODULE": settings} if settings else {})}
        result = subprocess.run(
            [str(self.python), "manage.py", *args],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT,
        )
        assert result.returncode == 0, (
            f"{self.database}: manage.py {args[0]}\n" + (result.stdout + result.stderr)[-4000:]
        )
        return result

    def start(self, name: str, argv: list[str], settings: str | None = None) -> Process:
        env = {**self.env, **({"DJANGO_SETTINGS_MODULE": settings} if settings else {})}
        process = Process(name, argv, env, self.root / f"{name}.log", cwd=self.root)
        process.start()
        self.processes.append(process)
        return process

    def get(self, path: str, port: int | None = None, **kwargs) -> requests.Response:
        return requests.get(f"http://{LOOPBACK}:{port or self.port}{path}", timeout=60, **kwargs)

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name} ---\n{log.read_text()[-3000:]}" for log in self.root.glob("*.log")
        )


def make_venv(where: Path, wheel: Path) -> Path:
    """A fresh virtual environment with the wheel and the PostgreSQL driver, installed
    offline by this test process's pip (the environment itself gets no pip)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / "bin" / "python"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-index",
            "--find-links",
            str(ensure_wheelhouse()),
            "--no-cache-dir",
            "--quiet",
            str(wheel),
            "psycopg[binary]",
        ],
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull},
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return python


def apply_guide(root: Path, database: str) -> None:
    """What docs/adopting.md tells a ``wagtail start`` site to change, and nothing else."""
    settings = root / "hostsite" / "settings" / "base.py"
    original = settings.read_text()
    adoption = guide_block("settings") + (guide_block("sqlite") if database == "sqlite" else "")
    settings.write_text(original + "\n# Interlink (docs/adopting.md)\n" + adoption)
    urls = root / "hostsite" / "urls.py"
    text = urls.read_text()
    assert text.count(WAGTAIL_PAGES) == 1, "Wagtail's template changed its urls.py"
    url_lines = textwrap.indent(guide_block("urls").strip(), "    ") + "\n"
    urls.write_text(text.replace(WAGTAIL_PAGES, url_lines + WAGTAIL_PAGES))
    # The guide's subset, as another settings module of the same site: the settings above
    # with the subset's apps line instead of the one for every app.
    subset_settings = adoption.replace(
        "INSTALLED_APPS += adoption.apps(INSTALLED_APPS)", guide_block("subset").strip()
    )
    (root / "hostsite" / "settings" / "subset.py").write_text(
        original
        + subset_settings
        + '\nDEBUG = True\nSECRET_KEY = "subset"\nALLOWED_HOSTS = ["*"]\nfrom .local import *\n'
    )


def local_settings(database: str, database_name: str) -> str:
    """What the test, not the guide, decides: the database and errors on stderr."""
    lines = [
        'LOGGING = {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler"}},',
        '    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}}}',
    ]
    if database == "postgres":
        url = urlsplit(os.environ["DATABASE_URL"])
        lines.append(
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', "
            f"'NAME': {database_name!r}, 'USER': {url.username or 'postgres'!r}, "
            f"'PASSWORD': {url.password or ''!r}, 'HOST': {url.hostname!r}, "
            f"'PORT': {url.port or 5432}}}}}"
        )
    return "\n".join(lines) + "\n"


def postgres_admin(sql: str) -> None:
    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    dsn = urlunsplit(("postgres", url.netloc, url.path, "", ""))
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(sql)


def prepare(host: Host, venv_bin: Path, database_name: str) -> Host:
    """``wagtail start``, the guide, check, migrate, a published call; then the web
    server and the worker the guide names."""
    host.root.mkdir(parents=True)
    subprocess.run(
        [str(venv_bin / "wagtail"), "start", "hostsite", str(host.root)],
        env=host.env,
        check=True,
        capture_output=True,
        timeout=STEP_TIMEOUT,
    )
    apply_guide(host.root, host.database)
    (host.root / "hostsite" / "settings" / "local.py").write_text(
        local_settings(host.database, database_name)
    )
    checked = host.manage("check")
    host.check_output = checked.stdout + checked.stderr
    host.manage("migrate", "--noinput")
    setup = SETUP_CONTENT.format(port=host.port, site_name=SITE_NAME, title=CALL_TITLE)
    output = host.manage("shell", "-c", setup).stdout
    host.urls = json.loads(output.split("@@", 1)[1])
    host.start(
        "web", [str(host.python), "manage.py", "runserver", f"{LOOPBACK}:{host.port}", "--noreload"]
    )
    worker = code_lines(guide_block("worker"))[0].split()
    assert worker[0] == "python"
    host.start("worker", [str(host.python), *worker[1:]])
    wait_until(lambda: host.get("/").status_code, READY_TIMEOUT, 0.3, f"{host.database} web server")
    return host


@pytest.fixture(scope="module")
def hosts(distribution, tmp_path_factory):
    """The SQLite site, and the PostgreSQL one when the suite runs on PostgreSQL."""
    from django.db import connection

    work = tmp_path_factory.mktemp("adopter")
    venv = work / "venv"
    python = make_venv(venv, distribution.wheel)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH", "VIRTUAL_ENV")
    }
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", PYTHONUNBUFFERED="1")
    databases = ["sqlite"] + (["postgres"] if connection.vendor == "postgresql" else [])
    database_name = f"interlink_plugin_host_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    if "postgres" in databases:
        postgres_admin(f'CREATE DATABASE "{database_name}"')
    started = {db: Host(db, work / db, python, dict(env)) for db in databases}
    try:
        with ThreadPoolExecutor(max_workers=len(databases)) as pool:
            futures = {
                db: pool.submit(prepare, host, venv / "bin", database_name)
                for db, host in started.items()
            }
            for db, future in futures.items():
                try:
                    future.result()
                except BaseException as error:
                    raise AssertionError(f"{db} site: {error}\n{started[db].logs()}") from error
        yield started
    finally:
        for host in started.values():
            for process in host.processes:
                process.stop()
        if "postgres" in databases:
            postgres_admin(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)')


DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=DATABASES)
def host(request, hosts) -> Host:
    return hosts[request.param]


def test_check_and_migrate_pass(host):
    """Ensures that ``manage.py check`` finds no issue (no clashing labels or reverse
    accessors: the template's ``home.HomePage`` and ``search`` app stay as they are) and
    that ``migrate`` ran (the fixture fails otherwise)."""
    assert "System check identified no issues" in host.check_output, host.check_output
    assert host.urls["home_type"] == "HomePage"  # the host's own home page model


def test_the_host_home_page_still_renders(host):
    """Ensures that the site's own home page (Wagtail's welcome page) renders unchanged."""
    response = host.get(host.urls["home"])
    assert response.status_code == 200, host.logs()
    assert "Welcome to your new Wagtail site!" in response.text


def test_webfinger_and_the_actor_answer(host):
    """Ensures that WebFinger finds the site's actor and the actor document answers."""
    handle = f"acct:riverside-host@{LOOPBACK}:{host.port}"
    response = host.get("/.well-known/webfinger", params={"resource": handle})
    assert response.status_code == 200, host.logs()
    links = [link for link in response.json()["links"] if link.get("rel") == "self"]
    assert links and links[0]["type"] == ACTIVITY_JSON
    actor_url = links[0]["href"]
    assert actor_url.startswith(host.base)
    actor = host.get(urlsplit(actor_url).path, headers={"Accept": ACTIVITY_JSON})
    assert actor.status_code == 200
    document = actor.json()
    assert document["id"] == actor_url and document["type"] == "Organization"
    assert document["inbox"].startswith(host.base)
    assert "BEGIN PUBLIC KEY" in document["publicKey"]["publicKeyPem"]


def test_the_published_call_federates_and_is_found_on_the_discovery_page(host):
    """Ensures that the published call answers as an ActivityStreams object, and that the
    worker the guide names indexes it: the discovery page finds it."""
    as_object = host.get(host.urls["call"], headers={"Accept": ACTIVITY_JSON})
    assert as_object.status_code == 200, host.logs()
    assert as_object.json()["name"] == CALL_TITLE

    def found():
        page = host.get("/discover/", params={"q": "riverside park"})
        return page.status_code == 200 and CALL_TITLE in page.text and page

    try:
        page = wait_until(found, READY_TIMEOUT, 0.5, "the call on the discovery page")
    except TimeoutError as error:
        raise AssertionError(f"{error}\n{host.logs()}") from error
    assert urlsplit(host.urls["call"]).path in page.text


def test_the_call_page_fills_the_host_templates_blocks(host):
    """Ensures that the call page extends the host's own ``base.html`` (its stylesheet) and
    puts Interlink's stylesheets in its ``extra_css`` block, in the head."""
    response = host.get(host.urls["call"])
    assert response.status_code == 200, host.logs()
    head, body = response.text.split("</head>", 1)
    assert "/static/css/hostsite.css" in head  # Wagtail's template's own stylesheet
    assert "/static/interlink_blocks/css/blocks.css" in head
    assert "/static/interlink_participation/participation.css" in head
    assert f"<h1>{CALL_TITLE}</h1>" in body and 'id="participation"' in body
    assert host.get("/static/interlink_participation/participation.css").status_code == 200


def test_the_sign_in_by_code_page_answers(host):
    """Ensures that the accounts app's sign-in by mailed code (django-allauth's page,
    themed by Interlink) answers on the host, with the settings the guide's helper gives."""
    response = host.get("/accounts/login/code/")
    assert response.status_code == 200, host.logs()
    assert 'name="email"' in response.text and "<form" in response.text


def test_the_workspace_sends_an_anonymous_visitor_to_sign_in_by_code(host):
    """Ensures that an anonymous visitor of a process's workspace is redirected to the sign-in
    by code (``LOGIN_URL`` from the guide's helper), with the workspace to return to."""
    path = host.urls["workspace"]
    response = host.get(path, allow_redirects=False)
    assert response.status_code == 302, host.logs()
    location = response.headers["Location"]
    assert location.startswith("/accounts/login/code/?next="), location
    assert host.get(location).status_code == 200


def test_the_guides_subset_runs_without_the_apps_it_leaves_out(hosts):
    """Ensures that the guide's subset (content and participation) passes the checks and
    serves the call with its participation section, while discovery and federation routes
    are gone (same SQLite database, which has every app's tables)."""
    host = hosts["sqlite"]
    output = host.manage("check", settings="hostsite.settings.subset")
    assert "System check identified no issues" in output.stdout + output.stderr
    port = free_port()
    host.start(
        "subset-web",
        [str(host.python), "manage.py", "runserver", f"{LOOPBACK}:{port}", "--noreload"],
        settings="hostsite.settings.subset",
    )
    wait_until(lambda: host.get("/", port=port).status_code, READY_TIMEOUT, 0.3, "subset server")
    call = host.get(host.urls["call"], port=port)
    assert call.status_code == 200 and 'id="participation"' in call.text, host.logs()
    assert host.get("/discover/", port=port).status_code == 404
    assert host.get("/.well-known/webfinger", port=port).status_code == 404
    assert host.get("/accounts/login/code/", port=port).status_code == 404
    assert re.search(r"/api/v1/calls/", host.get("/api/schema/", port=port).text)
