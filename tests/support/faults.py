"""Helpers of the fault suite (tests/federation/e2e/test_healing.py), loopback only.

- ``InboxReceiver``: one loopback HTTP server with any number of inboxes (``/inbox/<n>``)
  that records every activity id it is sent (so duplicates can be counted) and answers
  202 after a delay; it also serves a sender actor whose key signs the load's POSTs.
- ``refused_connections``: PostgreSQL refuses a node's database (``ALTER DATABASE …
  ALLOW_CONNECTIONS false``) and its open sessions are terminated, as in a failover.
- ``paced_posts``: signed inbox POSTs at a fixed rate, with every answer's status.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, urlunsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from interlink_federation import signatures

from .processes import LOOPBACK

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def report(request, title: str, **figures: object) -> str:
    """A scenario's counts and times: printed, and kept on the test's report so that the
    run's summary lists them even under pytest-xdist (``faults_summary`` in the conftest)."""
    line = f"[faults] {title}: " + ", ".join(f"{k}={v}" for k, v in figures.items())
    print(line)  # noqa: T201 - the scenario's figures are its output
    request.node.user_properties.append(("faults", line))
    return line


def faults_summary(terminalreporter) -> None:
    """Prints every fault scenario's figures at the end of the run."""
    lines = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        for name, value in getattr(report, "user_properties", ())
        if name == "faults" and getattr(report, "when", "") == "call"
    ]
    if lines:
        terminalreporter.section("fault suite figures")
        for line in lines:
            terminalreporter.write_line(line)


def key_pair() -> tuple[str, str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


class InboxReceiver:
    """Many inboxes on one loopback port, counting what arrives."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.received: list[tuple[str, str, float]] = []  # (inbox number, activity id, time)
        private_pem, public_pem = key_pair()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                time.sleep(receiver.delay)
                try:
                    activity_id = json.loads(body).get("id", "")
                except ValueError:
                    activity_id = ""
                with receiver.lock:
                    receiver.received.append(
                        (self.path.rsplit("/", 1)[-1], activity_id, time.monotonic())
                    )
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:
                if self.path != "/actors/sender":
                    self.send_error(404)
                    return
                body = json.dumps(receiver.actor_document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/activity+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        ThreadingHTTPServer.request_queue_size = 256
        self.server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://{LOOPBACK}:{self.server.server_address[1]}"
        self.sender = f"{self.base}/actors/sender"
        self.key = signatures.SigningKey(f"{self.sender}#main-key", private_pem)
        self.actor_document = {
            "@context": [AS_CONTEXT, "https://w3id.org/security/v1"],
            "id": self.sender,
            "type": "Application",
            "preferredUsername": "fault-sender",
            "inbox": f"{self.base}/inbox/sender",
            "publicKey": {
                "id": f"{self.sender}#main-key",
                "owner": self.sender,
                "publicKeyPem": public_pem,
            },
        }
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def inbox(self, number: int) -> str:
        return f"{self.base}/inbox/{number}"

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def per_inbox(self, activity_id: str) -> Counter:
        with self.lock:
            return Counter(inbox for inbox, got, _at in self.received if got == activity_id)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


ADD_FOLLOWERS = """
from interlink_federation.actors import default_local_actor
from interlink_federation.models import Follower, FollowState, RemoteActor
local = default_local_actor()
actors = RemoteActor.objects.bulk_create([
    RemoteActor(uri=inbox.replace('/inbox/', '/actors/'), domain=inbox.split('/')[2],
                username=f'follower{number}', inbox=inbox)
    for number, inbox in enumerate(INBOXES)
])
Follower.objects.bulk_create([
    Follower(local_actor=local, remote_actor=actor, state=FollowState.ACCEPTED,
             follow_activity_id=actor.uri + '#follow')
    for actor in actors
])
result = len(actors)
"""

REMOVE_FOLLOWERS = """
from interlink_federation.models import Follower, RemoteActor
result = Follower.objects.filter(remote_actor__uri__startswith=BASE).delete()[0]
RemoteActor.objects.filter(uri__startswith=BASE).delete()
"""


def add_followers(node, receiver: InboxReceiver, count: int) -> int:
    inboxes = [receiver.inbox(number) for number in range(count)]
    return node.python(f"INBOXES = {inboxes!r}\n" + ADD_FOLLOWERS)


def remove_followers(node, receiver: InboxReceiver) -> int:
    return node.python(f"BASE = {receiver.base!r}\n" + REMOVE_FOLLOWERS)


@contextmanager
def refused_connections(database_url: str) -> Iterator[None]:
    """The node's PostgreSQL database refuses new connections and drops the open ones."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(("postgres", parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def signed_creates(url: str, sender: str, key: signatures.SigningKey, count: int) -> list:
    """``count`` signed ``Create`` POSTs of distinct notes, signed before the clock starts."""
    prepared = []
    for _ in range(count):
        note = uuid.uuid4().hex
        activity = {
            "@context": AS_CONTEXT,
            "id": f"{sender}/activities/{note}",
            "type": "Create",
            "actor": sender,
            "to": [PUBLIC],
            "object": {
                "id": f"{sender}/notes/{note}",
                "type": "Note",
                "attributedTo": sender,
                "to": [PUBLIC],
                "content": "Fault suite note",
            },
        }
        body = json.dumps(activity).encode()
        headers = signatures.sign_request("POST", url, body, key)
        headers["Content-Type"] = "application/activity+json"
        prepared.append((headers, body))
    return prepared


def paced_posts(url: str, prepared: list, rate: float) -> tuple[Counter, float]:
    """POSTs ``prepared`` to ``url`` at ``rate`` per second (each at its scheduled time,
    whatever the answers' speed); returns the statuses (0: no answer) and the p99 latency."""
    import aiohttp

    statuses: Counter = Counter()
    latencies: list[float] = []

    async def one(session, start: float, index: int, headers: dict, body: bytes) -> None:
        await asyncio.sleep(max(0.0, start + index / rate - time.monotonic()))
        sent = time.monotonic()
        try:
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                statuses[response.status] += 1
        except aiohttp.ClientError:
            statuses[0] += 1
        latencies.append(time.monotonic() - sent)

    async def run() -> None:
        timeout = aiohttp.ClientTimeout(total=30)
        connector = aiohttp.TCPConnector(limit=64)
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
            start = time.monotonic()
            await asyncio.gather(
                *(one(session, start, i, h, b) for i, (h, b) in enumerate(prepared))
            )

    asyncio.run(run())
    latencies.sort()
    return statuses, latencies[int(len(latencies) * 0.99) - 1] if latencies else 0.0
