"""The embedded SQLite database takes the web processes and the worker writing at once."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A reads, then waits for B to write, then writes itself: the worker's "claim, then mark
# handled" against a web request's INSERT.
READ_THEN_WRITE = """
import pathlib, time
from django.db import connection, transaction
flags = pathlib.Path({flags!r})
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        (flags / "a-read").touch()
        deadline = time.monotonic() + 1.5
        while not (flags / "b-done").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        cursor.execute("UPDATE counter SET n = n + 1")
print("a ok")
"""
WRITE = """
import pathlib, time
from django.db import connection, transaction
flags = pathlib.Path({flags!r})
while not (flags / "a-read").exists():
    time.sleep(0.02)
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("UPDATE counter SET n = n + 1")
(flags / "b-done").touch()
print("b ok")
"""


def shell(code: str, database: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "interlink_site.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "site" / "manage.py"), "shell", "-c", code],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_writing_one_sqlite_file_both_succeed(tmp_path):
    """Ensures that with the shipped settings a transaction that read before another
    process wrote still writes (it waits for the lock) instead of failing with "database
    is locked", and that the file runs in WAL mode, so readers do not block the writer."""
    database = tmp_path / "node.sqlite3"
    with sqlite3.connect(database) as setup:
        setup.execute("CREATE TABLE counter (n integer)")
        setup.execute("INSERT INTO counter VALUES (0)")
    first = shell(READ_THEN_WRITE.format(flags=str(tmp_path)), database)
    second = shell(WRITE.format(flags=str(tmp_path)), database)
    outputs = [process.communicate(timeout=60) for process in (first, second)]
    assert [process.returncode for process in (first, second)] == [0, 0], outputs
    with sqlite3.connect(database) as check:
        assert check.execute("SELECT n FROM counter").fetchone() == (2,)
        assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
