"""A SQLite host has no PostgreSQL driver: every Interlink module must import without it.

psycopg is only in the ``[postgres]`` extra. The test runs a fresh interpreter in which
importing ``psycopg`` (or ``psycopg2``) fails as it would where neither is installed, sets
Django up on SQLite with every Interlink app, imports every module the distribution ships
and runs the system checks.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import importlib, importlib.abc, pkgutil, sys

class NoPostgresDriver(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("psycopg", "psycopg2", "psycopg_binary", "psycopg_c"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoPostgresDriver())

import django
django.setup()
from django.core.management import call_command

imported = 0
for package in ("interlink_blocks", "interlink_federation", "interlink_search", "interlink_themes"):
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        importlib.import_module(info.name)
        imported += 1
call_command("check", fail_level="ERROR")
assert not any(name.split(".")[0].startswith("psycopg") for name in sys.modules)
print("imported", imported)
"""


def test_every_module_imports_and_checks_pass_without_psycopg(tmp_path):
    """Ensures that with no PostgreSQL driver importable, Django starts on SQLite with every
    Interlink app, every shipped module imports (the search backends included) and the
    system checks pass."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'host.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "interlink_site.settings.test",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "site")]),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert int(result.stdout.split()[-1]) > 100  # the walk found the packages' modules
