"""fediverse-pasture as a peer on loopback, run from its own virtual environment.

``ensure_pasture_venv()`` builds ``var/pasture-venv`` from the pinned
``tests/federation/interop/requirements-pasture.txt`` (``scripts/test_setup.py`` calls it,
so CI installs it from the project's own files). ``Pasture`` runs the pasture's
``one_actor`` application through ``tests/federation/interop/pasture_peer.py``, bound to
127.0.0.1 on a free port, with its actor requiring signed GETs and signed inbox POSTs, and
records every inbox POST it verified and accepted.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from .nodes import LOOPBACK, NodeError, Process, free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
INTEROP = ROOT / "tests" / "federation" / "interop"
REQUIREMENTS = INTEROP / "requirements-pasture.txt"
VENV = Path(os.environ.get("INTERLINK_PASTURE_VENV", ROOT / "var" / "pasture-venv"))


def pasture_python() -> Path:
    return VENV / "bin" / "python"


def ensure_pasture_venv(quiet: bool = True) -> Path:
    """Creates or refreshes the pasture's venv when the pinned requirements changed."""
    stamp = VENV / ".requirements-sha256"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if pasture_python().exists() and stamp.exists() and stamp.read_text() == wanted:
        return pasture_python()
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    pip = [str(pasture_python()), "-m", "pip", "install", "--disable-pip-version-check"]
    subprocess.run([*pip, *(["-q"] if quiet else []), "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(wanted)
    return pasture_python()


class Pasture:
    """The pasture ``one_actor`` peer: ``/actor``, WebFinger ``acct:actor@127.0.0.1:PORT``."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.actor_url = f"{self.url}/actor"
        self.inbox_url = f"{self.url}/actor/inbox"
        self.received_path = workdir / "received.jsonl"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PYTHONPATH", "VIRTUAL_ENV"))
        }
        self.process = Process(
            "pasture",
            [
                str(pasture_python()),
                str(INTEROP / "pasture_peer.py"),
                "--port",
                str(self.port),
                "--received",
                str(self.received_path),
            ],
            self.env,
            workdir / "pasture.log",
            cwd=workdir,  # the pasture keeps its keys in data.toml in its working directory
        )

    def start(self) -> None:
        ensure_pasture_venv()
        self.process.start()
        wait_until(self._answers, 30, 0.1, f"pasture one_actor on {self.url}")

    def _answers(self) -> bool:
        if not self.process.running:
            raise NodeError(f"pasture exited; see {self.process.log_path}")
        try:
            return requests.get(self.actor_url, timeout=1).status_code in (200, 401)
        except requests.ConnectionError:
            return False

    def stop(self) -> None:
        self.process.stop()

    def received(self) -> list[dict]:
        """Activities the pasture's inbox accepted after verifying their signatures."""
        if not self.received_path.exists():
            return []
        lines = self.received_path.read_text().splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def wait_for(self, predicate, timeout: float = 20) -> dict:
        def probe():
            return next((activity for activity in self.received() if predicate(activity)), None)

        return wait_until(probe, timeout, 0.1, "an activity at the pasture inbox")

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        """Runs a pasture-venv Python command in the pasture's directory (its data.toml)."""
        started = time.monotonic()
        result = subprocess.run(
            [str(pasture_python()), *args],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        with open(self.workdir / "commands.log", "a") as log:
            log.write(
                f"$ {' '.join(args)}  ({time.monotonic() - started:.2f} s, exit {result.returncode})\n"
                f"{result.stdout}\n{result.stderr}\n"
            )
        return result
