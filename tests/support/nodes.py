"""Real Interlink nodes on loopback, each a set of OS processes with its own database.

A ``Node`` is what a municipality runs: a gunicorn server on its own free port of
127.0.0.1 (so its own host name ``127.0.0.1:PORT`` and ``SITE_URL``), a
``federation_worker`` running the real ``django_tasks_db`` queue, and a control process
(``tests/support/node_control.py``) that publishes content as an editor would. Every node
has its own database: a PostgreSQL database per node when ``DATABASE_URL`` points at
PostgreSQL (created from a template migrated once per run, dropped afterwards), otherwise
a SQLite file per node in a temporary directory.

``NodeFactory`` owns all of it and tears everything down even when a test fails; each
process logs to a file that ``NodeFactory.log_report()`` prints on failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
MANAGE = ROOT / "site" / "manage.py"
SETTINGS = "tests.support.node_settings"
ADMIN_USER = "admin"
ADMIN_PASSWORD = "node-admin-password"
REPLY_PREFIX = "@@node-control@@ "
LOOPBACK = "127.0.0.1"


class NodeError(RuntimeError):
    """A node could not start or a command on it failed; the message says which and why."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def wait_until(
    probe: Callable[[], Any], timeout: float, interval: float = 0.05, message: str = ""
) -> Any:
    """Calls ``probe`` until it returns something truthy; raises ``TimeoutError`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while True:
        try:
            value = probe()
        except (requests.RequestException, NodeError) as error:
            value, last_error = None, error
        if value:
            return value
        if time.monotonic() > deadline:
            detail = f" (last error: {last_error!r})" if last_error else ""
            raise TimeoutError(f"{message or 'condition'} not met within {timeout:.0f} s{detail}")
        time.sleep(interval)


def assert_loopback(url: str) -> None:
    """Refuses any URL that is not on this machine's loopback; the harness never leaves it."""
    host = urlsplit(url).hostname
    if host not in {LOOPBACK, "localhost", "::1"}:
        raise NodeError(f"{url} is not a loopback address")


# --- databases --------------------------------------------------------------------------


class Databases:
    """One database per node, cloned from a template that ``migrate`` ran on once."""

    def __init__(self, workdir: Path, database_url: str | None) -> None:
        self.workdir = workdir
        self.base_url = database_url or ""
        self.postgres = self.base_url.startswith(("postgres://", "postgresql://"))
        self.run_id = f"{os.getpid()}_{uuid.uuid4().hex[:8]}"
        self.template: str | None = None
        self.created: list[str] = []

    def _admin_connection(self):
        import psycopg

        parts = urlsplit(self.base_url)
        dsn = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
        return psycopg.connect(dsn.replace("postgresql://", "postgres://", 1), autocommit=True)

    def _url_for(self, name: str) -> str:
        if self.postgres:
            parts = urlsplit(self.base_url)
            return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
        return f"sqlite:///{self.workdir / (name + '.sqlite3')}"

    def _create(self, name: str, template: str | None = None) -> str:
        if self.postgres:
            suffix = f' TEMPLATE "{template}"' if template else ""
            with self._admin_connection() as conn:
                conn.execute(f'CREATE DATABASE "{name}"{suffix}')
        elif template:
            source = self.workdir / f"{template}.sqlite3"
            shutil.copyfile(source, self.workdir / f"{name}.sqlite3")
        self.created.append(name)
        return self._url_for(name)

    def template_url(self, migrate: Callable[[str], None]) -> None:
        """Creates and migrates the template on first call."""
        if self.template:
            return
        name = f"interlink_e2e_tmpl_{self.run_id}"
        url = self._create(name)
        migrate(url)
        if not self.postgres:
            # A WAL-mode file keeps recent pages in its -wal file: fold them in before copying.
            import sqlite3

            with sqlite3.connect(self.workdir / f"{name}.sqlite3") as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute("PRAGMA journal_mode=DELETE")
        self.template = name

    def clone(self, label: str) -> str:
        assert self.template, "migrate the template first"
        return self._create(f"interlink_e2e_{label}_{self.run_id}", template=self.template)

    def drop_all(self) -> None:
        if self.postgres:
            with self._admin_connection() as conn:
                for name in reversed(self.created):
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.clear()


# --- processes --------------------------------------------------------------------------


class Process:
    """One OS process of a node, in its own process group, logging to a file."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        env: dict,
        log_path: Path,
        cwd: Path = ROOT,
        stop_signal: int = signal.SIGTERM,
    ) -> None:
        self.name, self.argv, self.env, self.log_path, self.cwd = name, argv, env, log_path, cwd
        self.stop_signal = stop_signal
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "ab")
        log.write(f"\n=== start {' '.join(self.argv[-4:])} at {time.time():.3f}\n".encode())
        log.flush()
        self.popen = subprocess.Popen(
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Sends ``sig`` to this process's group (gunicorn's workers go with their master)."""
        if self.running:
            os.killpg(self.popen.pid, sig)

    def request_stop(self) -> None:
        if self.running:
            self.kill(self.stop_signal)

    def wait_stopped(self, timeout: float = 10) -> None:
        """Waits for the exit asked for; SIGKILL to the group when it does not come."""
        if self.popen is None:
            return
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill(signal.SIGKILL)
            self.popen.wait(timeout=5)

    def stop(self, timeout: float = 10) -> None:
        self.request_stop()
        self.wait_stopped(timeout)


class Control:
    """The node's control process: one JSON command per line, one JSON reply per line."""

    def __init__(self, env: dict, log_path: Path) -> None:
        self.log = open(log_path, "ab")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "tests.support.node_control"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            start_new_session=True,
        )
        self.ready = False

    def wait_ready(self) -> None:
        if not self.ready:
            self._read()  # the line printed once Django is set up
            self.ready = True

    def _read(self) -> Any:
        while True:
            line = self.popen.stdout.readline()
            if not line:
                raise NodeError(f"control process exited (code {self.popen.poll()})")
            if line.startswith(REPLY_PREFIX):
                reply = json.loads(line[len(REPLY_PREFIX) :])
                if not reply["ok"]:
                    raise NodeError(f"{reply['error']}\n{reply['traceback']}")
                return reply.get("result")
            self.log.write(line.encode())

    def __call__(self, op: str, **arguments: Any) -> Any:
        self.wait_ready()
        self.popen.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
        self.popen.stdin.flush()
        return self._read()

    def request_stop(self) -> None:
        if self.popen.poll() is None and not self.popen.stdin.closed:
            self.popen.stdin.close()  # its command loop ends, and so does the process

    def stop(self) -> None:
        self.request_stop()
        if self.popen.poll() is None:
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=5)
        self.log.close()


# --- nodes ------------------------------------------------------------------------------


class Node:
    """One municipality's node: server, worker and control processes on 127.0.0.1:port."""

    def __init__(self, name: str, workdir: Path, database_url: str, extra_env: dict) -> None:
        self.name = name
        self.slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.host = f"{LOOPBACK}:{self.port}"
        self.workdir = workdir
        self.database_url = database_url
        self.env = node_environment(database_url, self.url, workdir / "media", extra_env)
        self.server = Process(
            "server",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "interlink_site.wsgi:application",
                "--bind",
                f"{LOOPBACK}:{self.port}",
                "--workers",
                extra_env.get("INTERLINK_NODE_WEB_WORKERS", "2"),
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--graceful-timeout",
                "3",
                "--timeout",
                "60",
                "--access-logfile",
                "-",
                # One Django import per node, forked into the workers: boots in half the CPU.
                "--preload",
                # gunicorn 27's control socket has one default path for every instance.
                "--no-control-socket",
            ],
            self.env,
            workdir / "server.log",
            stop_signal=signal.SIGINT,  # gunicorn's quick shutdown; SIGTERM waits for keep-alives
        )
        self.worker = Process("worker", worker_argv(), self.env, workdir / "worker.log")
        self.control: Control | None = None
        self.site: dict = {}

    # lifecycle

    def launch_control(self) -> None:
        self.control = Control(self.env, self.workdir / "control.log")

    def setup(self) -> None:
        if not self.control:
            self.launch_control()
        self.site = self.control(
            "setup_site",
            site_name=self.name,
            slug=self.slug,
            hostname=LOOPBACK,
            port=self.port,
            admin=ADMIN_USER,
            password=ADMIN_PASSWORD,
        )

    def start(self) -> None:
        self.start_server()
        self.start_worker()

    def start_server(self, wait: bool = True) -> None:
        self.server.start()
        if wait:
            wait_until(self._answers, 30, 0.1, f"{self.name}'s server on {self.url}")

    def stop_server(self) -> None:
        """Stops the server and its workers (it waits for them): the port refuses connections."""
        self.server.stop()

    def start_worker(self) -> None:
        self.worker.start()

    def request_stop(self) -> None:
        """Asks every process of the node to exit, without waiting (nodes stop in parallel)."""
        for process in (self.worker, self.server):
            process.request_stop()
        if self.control:
            self.control.request_stop()

    def stop(self) -> None:
        self.request_stop()
        for process in (self.worker, self.server):
            process.wait_stopped()
        if self.control:
            self.control.stop()

    def _answers(self) -> bool:
        if not self.server.running:
            raise NodeError(f"{self.name}'s server exited; see {self.server.log_path}")
        try:
            requests.get(f"{self.url}/.well-known/nodeinfo", timeout=1)
        except requests.ConnectionError:
            return False
        return True

    # identity

    @property
    def actor_url(self) -> str:
        return f"{self.url}/ap/actor"

    def actor_document(self) -> dict:
        response = self.get("/ap/actor", headers={"Accept": "application/activity+json"})
        response.raise_for_status()
        return response.json()

    @property
    def handle(self) -> str:
        return f"@{self.actor_document()['preferredUsername']}@{self.host}"

    # content, as an editor publishes it

    def publish_call(self, title: str, **fields: Any) -> dict:
        return self.control("create_call", title=title, **fields)

    def publish_asset(self, title: str, **fields: Any) -> dict:
        return self.control("create_asset", title=title, **fields)

    def republish(self, page_id: int, **fields: Any) -> dict:
        return self.control("update", page_id=page_id, **fields)

    def unpublish(self, page_id: int) -> dict:
        return self.control("unpublish", page_id=page_id)

    def delete_page(self, page_id: int) -> dict:
        return self.control("delete", page_id=page_id)

    def python(self, code: str) -> Any:
        """Runs ``code`` inside the node (Django set up); returns what it assigns to ``result``."""
        return self.control("python", code=code)

    # HTTP

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        return requests.get(self.url + path, **kwargs)

    def admin(self) -> AdminSession:
        return AdminSession(self)


class AdminSession(requests.Session):
    """A ``requests.Session`` logged into a node's Wagtail admin, posting forms with CSRF."""

    def __init__(self, node: Node) -> None:
        super().__init__()
        self.node = node
        login = f"{node.url}/admin/login/"
        self.get(login, timeout=10).raise_for_status()
        response = self.post(
            login,
            data={
                "username": ADMIN_USER,
                "password": ADMIN_PASSWORD,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
                "next": "/admin/",
            },
            timeout=10,
        )
        if "sessionid" not in self.cookies:
            raise NodeError(f"admin login on {node.name} failed ({response.status_code})")

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.node.url + url
        assert_loopback(url)
        kwargs.setdefault("timeout", 10)
        return super().request(method, url, *args, **kwargs)

    def post_form(self, path: str, data: dict | None = None, **kwargs: Any) -> requests.Response:
        """POSTs a form as the admin's browser would, with the CSRF token and a Referer."""
        data = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **(data or {})}
        headers = {"Referer": self.node.url + path}
        return self.post(path, data=data, headers=headers, **kwargs)


def node_environment(database_url: str, site_url: str, media_root: Path, extra: dict) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "INTERLINK_NODE_", "PYTEST_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "site")]),
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": database_url,
            "SITE_URL": site_url,
            "SECRET_KEY": f"e2e-node-{uuid.uuid4().hex}",
            "ALLOWED_HOSTS": f"{LOOPBACK},localhost",
            "MEDIA_ROOT": str(media_root),
            "STATIC_ROOT": str(media_root.parent / "static"),
        }
    )
    env.update(extra)
    return env


def worker_argv() -> list[str]:
    """The documented worker (recovery sweep + db_worker), polling often for low latency."""
    command = "federation_worker"
    if not (ROOT / "federation" / "management" / "commands" / "federation_worker.py").exists():
        command = "db_worker"  # before federation ships its worker; no recovery sweep then
    return [
        sys.executable,
        str(MANAGE),
        command,
        "--queue-name",
        "*",
        "--interval",
        "0.05",
        "--no-startup-delay",
        "--no-reload",
    ]


def stop_all(nodes: list[Node]) -> None:
    """Stops nodes in parallel: all are asked first, then each is waited for."""
    for node in nodes:
        node.request_stop()
    for node in nodes:
        node.stop()


ACCESS_LOG_TIME = re.compile(r"\[[^\]]*\] ")


def fold_repeats(lines: list[str]) -> list[str]:
    """Folds runs of log lines that differ only in their timestamp (a test polling a page)."""
    folded: list[str] = []
    previous, repeats = None, 0
    for line in [*lines, None]:
        key = ACCESS_LOG_TIME.sub("", line) if line is not None else None
        if key == previous:
            repeats += 1
            continue
        if repeats:
            folded.append(f"    ... the line above {repeats} more times")
        if line is not None:
            folded.append(line)
        previous, repeats = key, 0
    return folded


class NodeFactory:
    """Creates nodes on demand for a test run and removes every trace of them at the end."""

    def __init__(self, database_url: str | None = None) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="interlink-e2e-"))
        self.databases = Databases(self.workdir, database_url)
        self.nodes: list[Node] = []
        self.keep_workdir = False

    def _migrate(self, database_url: str) -> None:
        env = node_environment(database_url, "http://127.0.0.1", self.workdir / "media", {})
        result = subprocess.run(
            [sys.executable, str(MANAGE), "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            raise NodeError(f"migrate failed:\n{result.stdout}\n{result.stderr}")

    def create(self, *names: str, extra_env: dict | None = None, start: bool = True) -> list[Node]:
        """Starts one node per name (in parallel) and returns them ready to use."""
        self.databases.template_url(self._migrate)
        created = []
        for name in names:
            label = f"{len(self.nodes)}_{re.sub(r'[^a-z0-9]+', '', name.lower())[:20]}"
            workdir = self.workdir / label
            (workdir / "media").mkdir(parents=True)
            node = Node(name, workdir, self.databases.clone(label), dict(extra_env or {}))
            self.nodes.append(node)
            created.append(node)
        for node in created:
            node.launch_control()  # Django starts in all of them at once
        for node in created:
            node.setup()
        if start:
            for node in created:
                node.server.start()
                node.start_worker()
            for node in created:
                wait_until(node._answers, 30, 0.1, f"{node.name}'s server on {node.url}")
        return created

    def log_report(self, lines: int = 60) -> str:
        """The tail of every process log, for a failed test's report; polling is folded."""
        parts = []
        for log in sorted(self.workdir.glob("**/*.log")):
            tail = fold_repeats(log.read_text(errors="replace").splitlines())[-lines:]
            parts.append(f"----- {log.relative_to(self.workdir)} (last {lines} lines)")
            parts.extend(tail)
        return "\n".join(parts)

    def close(self) -> None:
        errors = []
        stop_all(self.nodes)
        for node in self.nodes:
            try:
                node.stop()
            except Exception as error:  # noqa: BLE001 - keep tearing the others down
                errors.append(error)
        try:
            self.databases.drop_all()
        finally:
            if not self.keep_workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)
        if errors:
            raise NodeError(f"some nodes did not stop cleanly: {errors!r}")
