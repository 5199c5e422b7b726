"""Processes of a test node: OS processes in their own group, the control channel, waits.

Everything here stays on loopback: ``free_port`` binds 127.0.0.1 and ``assert_loopback``
refuses any other address before a request is made.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
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
