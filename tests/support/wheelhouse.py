"""Wheels of Interlink's dependencies, so the plugin tests install the built wheel offline.

``tests/plugin`` installs the distribution into a fresh virtual environment as an adopter
would, but a test sends nothing beyond loopback: ``ensure_wheelhouse()`` (run by
``scripts/test_setup.py``, so CI prepares it from the project's own files) collects wheels
of every dependency of the ``[postgres]`` install in ``var/plugin-wheelhouse``, and the
tests install with ``pip --no-index --find-links`` from there. It is rebuilt when the
dependencies in ``pyproject.toml`` change.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WHEELHOUSE = Path(os.environ.get("INTERLINK_PLUGIN_WHEELHOUSE", ROOT / "var" / "plugin-wheelhouse"))
# What an adopter on PostgreSQL installs besides Interlink itself.
EXTRAS = ("postgres",)


def requirements() -> list[str]:
    """Interlink's dependencies and those of ``EXTRAS``, as ``pyproject.toml`` lists them."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in EXTRAS:
        wanted += project["optional-dependencies"][extra]
    return wanted


def ensure_wheelhouse(quiet: bool = True) -> Path:
    """Fills the wheelhouse unless it already holds the current dependencies."""
    wanted = requirements()
    digest = hashlib.sha256("\n".join(wanted).encode()).hexdigest()
    stamp = WHEELHOUSE / ".requirements-sha256"
    if stamp.exists() and stamp.read_text() == digest:
        return WHEELHOUSE
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    for old in WHEELHOUSE.glob("*.whl"):
        old.unlink()
    command = [sys.executable, "-m", "pip", "wheel", "--wheel-dir", str(WHEELHOUSE), *wanted]
    subprocess.run([*command, *(["-q"] if quiet else [])], check=True)
    stamp.write_text(digest)
    return WHEELHOUSE


def is_ready() -> bool:
    stamp = WHEELHOUSE / ".requirements-sha256"
    wanted = hashlib.sha256("\n".join(requirements()).encode()).hexdigest()
    return stamp.exists() and stamp.read_text() == wanted
