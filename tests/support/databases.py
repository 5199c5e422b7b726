"""One database per test node: PostgreSQL databases or SQLite files, cloned from a template."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


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

    def drop(self, urls: list[str]) -> None:
        """Drops the node databases at ``urls`` (PostgreSQL; SQLite files go with the tmpdir)."""
        names = [urlsplit(url).path.lstrip("/") for url in urls]
        if self.postgres:
            with self._admin_connection() as conn:
                for name in names:
                    # Several seconds each on a busy disk: callers run this in the background.
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created = [name for name in self.created if name not in names]

    def drop_all(self) -> None:
        self.drop([self._url_for(name) for name in reversed(self.created)])
