"""The database settings from a URL: PostgreSQL as given, SQLite made safe for several
processes.

The embedded default is one SQLite file written by the web server's processes and the task
worker at once. Three options keep that working:

- WAL: readers run beside the one writer instead of waiting for it;
- ``transaction_mode`` IMMEDIATE: a transaction takes the write lock at ``BEGIN``. A
  deferred transaction that read first and then writes fails at once with "database is
  locked" when another process wrote in between (SQLite cannot wait there: its snapshot is
  stale), so under concurrency a request or task would fail instead of waiting its turn;
- ``timeout`` 30 s: a writer waits that long for the lock before giving up.

``synchronous=NORMAL`` in WAL mode: a commit survives a crash of the process; the last
commits can be lost only if the machine itself loses power (PostgreSQL is the production
path where that matters; see docs/federation.md, "Durability of a 202").
"""

from __future__ import annotations

from typing import Any

import dj_database_url

from interlink_blocks.adoption import sqlite_options

# The same options a host site gets from the adoption guide (docs/adopting.md).
SQLITE_OPTIONS = sqlite_options()


def database(url: str, conn_max_age: int) -> dict[str, Any]:
    # Health checks: a persistent connection cut while idle (a database restart) is replaced
    # before the next request uses it, instead of failing that request.
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config
