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

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

from .databases import Databases
from .processes import (
    LOOPBACK,
    ROOT,
    Control,
    NodeError,
    Process,
    assert_loopback,
    fold_repeats,
    free_port,
    wait_until,
)

MANAGE = ROOT / "site" / "manage.py"
SETTINGS = "tests.support.node_settings"
ADMIN_USER = "admin"
ADMIN_PASSWORD = "node-admin-password"


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


class NodeFactory:
    """Creates nodes on demand for a test run and removes every trace of them at the end."""

    def __init__(self, database_url: str | None = None) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="interlink-e2e-"))
        self.databases = Databases(self.workdir, database_url)
        self.nodes: list[Node] = []
        # Dropping a migrated PostgreSQL database takes seconds: it overlaps the next tests.
        self.cleaner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drop-databases")
        self.pending_drops: list[Future] = []
        self.released: set[Path] = set()
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

    def release(self, nodes: list[Node]) -> None:
        """Stops ``nodes`` now and drops their databases in the background."""
        stop_all(nodes)
        self.released.update(node.workdir for node in nodes)
        urls = [node.database_url for node in nodes]
        self.pending_drops.append(self.cleaner.submit(self.databases.drop, urls))

    def log_report(self, lines: int = 60) -> str:
        """The tail of every running node's (and peer's) logs, for a failed test's report;
        polling is folded."""
        parts = []
        for log in sorted(self.workdir.glob("**/*.log")):
            if log.parent in self.released:
                continue
            tail = fold_repeats(log.read_text(errors="replace").splitlines())[-lines:]
            parts.append(f"----- {log.relative_to(self.workdir)} (last {lines} lines)")
            parts.extend(tail)
        return "\n".join(parts)

    def close(self) -> None:
        errors = []
        try:
            stop_all(self.nodes)
        except Exception as error:  # noqa: BLE001 - the databases and files still go
            errors.append(error)
        for pending in self.pending_drops:
            try:
                pending.result(timeout=300)
            except Exception as error:  # noqa: BLE001 - drop_all below tries again
                errors.append(error)
        self.cleaner.shutdown()
        try:
            self.databases.drop_all()
        finally:
            if not self.keep_workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)
        if errors:
            raise NodeError(f"some nodes did not stop cleanly: {errors!r}")
