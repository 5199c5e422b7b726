"""Federation benchmark on real nodes (loopback only): fan-out, inbox intake, latency.

    python bench/federation.py                 # default: ~1 minute
    python bench/federation.py --inboxes 5000 --posts 5000 --latency 20

It starts two Interlink nodes with the e2e harness (tests/support/nodes.py: gunicorn,
``federation_worker``, own databases; PostgreSQL when ``DATABASE_URL`` points at it) and
local receiver processes (aiohttp) that answer many inbox paths on several loopback ports.

1. Fan-out: node A gets ``--inboxes`` followers, each with its own inbox on the receivers;
   one published call is delivered to all of them. Deliveries per second, against the
   same run's raw RSA signing rate (one signature per delivery: the ceiling of one core).
2. Inbox intake: ``--posts`` signed ``Create`` POSTs (signed beforehand) sent concurrently
   to node B's shared inbox. Accepted (202) per second, against the same server's rate for
   a plain ``GET /.well-known/nodeinfo`` with the same client (the server's ceiling).
3. Publish-to-visible: B follows A from its admin; ``--latency`` calls published on A, each
   timed until B's public catalogue page shows it. p50 against the 2 s target.

Targets on 2 cores: >= 500 deliveries/s, >= 500 accepted POSTs/s, p50 <= 2 s.
Not a test: it prints figures and exits 0 unless a step breaks.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

import requests  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402

from interlink_federation import signatures  # noqa: E402 - pure module, no Django needed
from tests.support import federation as fed  # noqa: E402
from tests.support.faults import signed_creates  # noqa: E402
from tests.support.nodes import LOOPBACK, NodeFactory, free_port, wait_until  # noqa: E402

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


# --- receivers: many inboxes on a few loopback ports ------------------------------------


def _receiver(ports: list[int], actor_document: dict, ready) -> None:
    """One process: answers POST /inbox/<n> with 202, serves the bench sender's actor."""
    from aiohttp import web

    stats = {"posts": 0, "first": None, "last": None}

    async def inbox(request: web.Request) -> web.Response:
        await request.read()
        now = time.time()
        stats["posts"] += 1
        stats["first"] = stats["first"] or now
        stats["last"] = now
        return web.Response(status=202)

    async def actor(_request: web.Request) -> web.Response:
        return web.json_response(actor_document, content_type="application/activity+json")

    async def counts(_request: web.Request) -> web.Response:
        return web.json_response(stats)

    async def reset(_request: web.Request) -> web.Response:
        stats.update(posts=0, first=None, last=None)
        return web.json_response(stats)

    async def main() -> None:
        app = web.Application()
        app.router.add_post("/inbox/{n}", inbox)
        app.router.add_get("/actors/bench-sender", actor)
        app.router.add_get("/_counts", counts)
        app.router.add_post("/_reset", reset)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for port in ports:
            await web.TCPSite(runner, LOOPBACK, port, backlog=1024).start()
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


class Receivers:
    """Receiver processes; the first port also serves the bench sender's actor document."""

    def __init__(self, processes: int, ports_each: int, public_pem: str) -> None:
        self.ports = [[free_port() for _ in range(ports_each)] for _ in range(processes)]
        base = f"http://{LOOPBACK}:{self.ports[0][0]}"
        self.sender = f"{base}/actors/bench-sender"
        actor_document = {
            "@context": [AS_CONTEXT, "https://w3id.org/security/v1"],
            "id": self.sender,
            "type": "Application",
            "preferredUsername": "bench-sender",
            "inbox": f"{base}/inbox/sender",
            "publicKey": {
                "id": f"{self.sender}#main-key",
                "owner": self.sender,
                "publicKeyPem": public_pem,
            },
        }
        self.processes = []
        for ports in self.ports:
            ready = multiprocessing.Event()
            process = multiprocessing.Process(
                target=_receiver, args=(ports, actor_document, ready), daemon=True
            )
            process.start()
            ready.wait(10)
            self.processes.append(process)

    @property
    def all_ports(self) -> list[int]:
        return [port for ports in self.ports for port in ports]

    def inbox(self, number: int) -> str:
        ports = self.all_ports
        return f"http://{LOOPBACK}:{ports[number % len(ports)]}/inbox/{number}"

    def counts(self) -> dict:
        stats = [
            requests.get(f"http://{LOOPBACK}:{ports[0]}/_counts", timeout=5).json()
            for ports in self.ports
        ]
        firsts = [s["first"] for s in stats if s["first"]]
        lasts = [s["last"] for s in stats if s["last"]]
        return {
            "posts": sum(s["posts"] for s in stats),
            "first": min(firsts) if firsts else None,
            "last": max(lasts) if lasts else None,
        }

    def reset(self) -> None:
        for ports in self.ports:
            requests.post(f"http://{LOOPBACK}:{ports[0]}/_reset", timeout=5)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
            process.join(5)


# --- measurements -----------------------------------------------------------------------


def signing_rate(key: signatures.SigningKey, body: bytes, seconds: float) -> float:
    """Raw draft-cavage signatures per second in this process (one core)."""
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        signatures.sign_request("POST", f"http://{LOOPBACK}:9/inbox/{count}", body, key)
        count += 1
    return count / (time.perf_counter() - started)


ADD_FOLLOWERS = """
from interlink_federation.actors import default_local_actor
from interlink_federation.models import Follower, FollowState, RemoteActor
local = default_local_actor()
actors = RemoteActor.objects.bulk_create([
    RemoteActor(uri=inbox.replace('/inbox/', '/actors/'), domain=inbox.split('/')[2],
                username=f'bench{number}', inbox=inbox)
    for number, inbox in enumerate(INBOXES)
])
Follower.objects.bulk_create([
    Follower(local_actor=local, remote_actor=actor, state=FollowState.ACCEPTED,
             follow_activity_id=actor.uri + '#follow')
    for actor in actors
])
result = Follower.objects.filter(local_actor=local, state=FollowState.ACCEPTED).count()
"""

DELIVERY_SUMMARY = """
from django.db.models import Count, Max, Min
from interlink_federation.models import Delivery
rows = Delivery.objects.filter(activity__object_uri__contains=UUID, activity__activity_type='Create')
result = {
    'states': dict(rows.values_list('state').annotate(n=Count('pk')).values_list('state', 'n')),
    'first_claim': rows.aggregate(v=Min('claimed_at'))['v'],
    'last_delivered': rows.aggregate(v=Max('delivered_at'))['v'],
}
"""


def fan_out(node, receivers: Receivers, inboxes: int, signing: float) -> dict:
    addresses = [receivers.inbox(number) for number in range(inboxes)]
    followers = node.python(f"INBOXES = {addresses!r}\n" + ADD_FOLLOWERS)
    print(f"  node A has {followers} accepted followers ({inboxes} on the receivers)")
    receivers.reset()
    call = node.publish_call(f"Fan-out benchmark call {uuid.uuid4().hex[:6]}")
    wait_until(lambda: receivers.counts()["posts"] >= inboxes, 600, 0.05, "every inbox")
    counts = receivers.counts()
    query = f"UUID = {call['uuid']!r}\n" + DELIVERY_SUMMARY
    wait_until(  # the last outcomes are written just after their POSTs return
        lambda: set(node.python(query)["states"]) == {"delivered"}, 60, 0.1, "recorded outcomes"
    )
    summary = node.python(query)
    elapsed = counts["last"] - call["published_at"]
    sending = counts["last"] - counts["first"]
    rate = inboxes / elapsed
    print(f"  {counts['posts']} POSTs received; delivery states on A: {summary['states']}")
    print(
        f"  publish → last inbox: {elapsed:.2f} s → {rate:.0f} deliveries/s "
        f"(first → last POST: {sending:.2f} s, {inboxes / max(sending, 1e-6):.0f}/s)"
    )
    print(
        f"  raw RSA signing in this run: {signing:.0f} signatures/s on one core; "
        f"ratio deliveries/s ÷ signing/s = {rate / signing:.2f}  (target ≥ 500/s: "
        f"{'met' if rate >= 500 else 'NOT met'})"
    )
    return {"deliveries_per_s": rate, "signing_per_s": signing}


def _encode(url: str, headers: dict, body: bytes | None) -> bytes:
    """One HTTP/1.1 request as bytes, built before the clock starts (the client is cheap)."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    fields = {"Host": parts.netloc, **headers}  # a signed request carries the signed Host
    lines = [f"{'GET' if body is None else 'POST'} {target} HTTP/1.1"]
    lines += [f"{name}: {value}" for name, value in fields.items()]
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


async def _response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Reads one response (Content-Length or chunked body); returns (status, server closes)."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status, length, chunked, closes = int(head[0].split(" ", 2)[1]), 0, False, False
    for line in head[1:]:
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding":
            chunked = "chunked" in value
        elif name == "connection":
            closes = value == "close"
    if not chunked:
        await reader.readexactly(length)
        return status, closes
    while size := int((await reader.readline()).split(b";")[0], 16):
        await reader.readexactly(size + 2)
    await reader.readline()  # the empty line after the last chunk
    return status, closes


async def _blast(requests_to_send: list[tuple[str, dict, bytes]], concurrency: int) -> tuple:
    """Sends the requests over ``concurrency`` keep-alive connections, one request in flight
    per connection. The load client shares the machine's cores with the server, so it is a
    raw asyncio HTTP/1.1 client sending pre-encoded bytes: a fraction of the CPU per request
    of a full client library, and the same for the POSTs and both baselines."""
    parts = urlsplit(requests_to_send[0][0])
    queue = [_encode(*request) for request in reversed(requests_to_send)]
    statuses: dict[int, int] = {}

    async def worker() -> None:
        writer: asyncio.StreamWriter | None = None
        while queue:
            data = queue.pop()
            for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
                if writer is None:
                    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
                writer.write(data)
                try:
                    status, closes = await _response(reader)
                    break
                except (asyncio.IncompleteReadError, ConnectionError):
                    writer.close()
                    writer = None
                    if attempt == 2:
                        raise
            statuses[status] = statuses.get(status, 0) + 1
            if closes:
                writer.close()
                writer = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, statuses


def signed_posts(node, sender: str, key: signatures.SigningKey, count: int) -> list:
    """``count`` signed ``Create`` POSTs to the node's inbox, as the fault suite makes them."""
    url = f"{node.url}/inbox"
    return [(url, headers, body) for headers, body in signed_creates(url, sender, key, count)]


def _rate(requests_to_send: list, concurrency: int, status: int) -> tuple[float, dict]:
    elapsed, statuses = asyncio.run(_blast(requests_to_send, concurrency))
    return statuses.get(status, 0) / elapsed, statuses


INBOX_LEFT = """
from interlink_federation.models import InboxMessage
result = InboxMessage.objects.filter(state="received").count()
"""
INBOX_STATES = """
from django.db.models import Count
from interlink_federation.models import InboxMessage
result = dict(InboxMessage.objects.values_list("state").annotate(Count("id")).order_by())
"""


def inbox_intake(node, sender: str, key, posts: int, concurrency: int, rounds: int) -> dict:
    """Accepted POSTs/s against two baselines on the same server in the same run, interleaved
    (the machine is shared, so a lone figure says little): a GET that touches no database,
    and an unsigned POST of the same size, refused with 401 before any lookup (the request
    path of Django and gunicorn without signature, cache, or storage work)."""
    warm = signed_posts(node, sender, key, 10)  # the first one fetches the sender's key
    asyncio.run(_blast(warm[:1], 1))
    asyncio.run(_blast(warm[1:], 4))
    get_requests = [(f"{node.url}/.well-known/nodeinfo", {}, None)] * posts
    accepted_rates, get_rates, unsigned_rates, all_statuses = [], [], [], {}
    for _round in range(rounds):
        get_rate, _ = _rate(get_requests, concurrency, 200)
        prepared = signed_posts(node, sender, key, posts)
        unsigned = [
            (url, {"Content-Type": headers["Content-Type"]}, body)
            for url, headers, body in prepared
        ]
        unsigned_rate, _ = _rate(unsigned, concurrency, 401)
        accepted, statuses = _rate(prepared, concurrency, 202)
        for code, number in statuses.items():
            all_statuses[code] = all_statuses.get(code, 0) + number
        accepted_rates.append(accepted)
        get_rates.append(get_rate)
        unsigned_rates.append(unsigned_rate)
    # Accepted is not handled: wait for the worker to handle every stored message, and show
    # how long after the burst it finished and that none was lost.
    last_round_at = time.perf_counter()
    wait_until(lambda: node.python(INBOX_LEFT) == 0, 600, 0.5, "the stored backlog handled")
    drained = time.perf_counter() - last_round_at
    states = node.python(INBOX_STATES)
    accepted = statistics.median(accepted_rates)
    get_rate = statistics.median(get_rates)
    unsigned_rate = statistics.median(unsigned_rates)
    print(f"  {rounds} × {posts} signed POSTs, {concurrency} at a time: statuses {all_statuses}")
    print(f"  accepted POSTs/s per round: {', '.join(f'{rate:.0f}' for rate in accepted_rates)}")
    print(
        f"  median accepted: {accepted:.0f}/s; same server, GET nodeinfo: {get_rate:.0f}/s, "
        f"unsigned POST refused (401): {unsigned_rate:.0f}/s"
    )
    print(f"  backlog handled {drained:.1f} s after the last round; inbox states: {states}")
    print(
        f"  ratio accepted ÷ GET = {accepted / get_rate:.2f}, "
        f"accepted ÷ unsigned 401 = {accepted / unsigned_rate:.2f}  "
        f"(target ≥ 500/s: {'met' if accepted >= 500 else 'NOT met'})"
    )
    return {
        "accepted_per_s": accepted,
        "get_per_s": get_rate,
        "unsigned_401_per_s": unsigned_rate,
    }


def latency(origin, follower, count: int) -> dict:
    latencies = fed.publish_to_visible(origin, follower, count, "Latency benchmark call")
    p50 = statistics.median(latencies)
    print("  " + fed.describe_latencies(latencies))
    print(f"  ratio p50 ÷ 2 s target = {p50 / 2:.2f}")
    return {"p50_s": p50}


def key_pair() -> tuple[str, str]:
    """A fresh RSA key pair (private, public PEM) for the bench sender."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inboxes", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--latency", type=int, default=10, help="publishes to time")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved intake rounds")
    parser.add_argument("--receiver-processes", type=int, default=2)
    parser.add_argument("--ports-per-receiver", type=int, default=5)
    parser.add_argument(
        "--web-workers", default="3", help="gunicorn workers per node (2 cores: 2–4)"
    )
    parser.add_argument("--parts", default="1,2,3", help="which measurements, e.g. 1,2")
    args = parser.parse_args()

    print(
        f"Federation benchmark on {os.cpu_count()} cores (load average at start "
        f"{os.getloadavg()[0]:.1f}), {args.web_workers} gunicorn workers per node, database: "
        f"{'PostgreSQL' if os.environ.get('DATABASE_URL', '').startswith('postgres') else 'SQLite'}"
    )
    private_pem, public_pem = key_pair()
    receivers = Receivers(args.receiver_processes, args.ports_per_receiver, public_pem)
    sender = receivers.sender
    key = signatures.SigningKey(f"{sender}#main-key", private_pem)

    factory = NodeFactory(os.environ.get("DATABASE_URL"))
    try:
        started = time.monotonic()
        node_a, node_b = factory.create(
            "Bench Aurora",
            "Bench Borealis",
            extra_env={
                "INTERLINK_NODE_WEB_WORKERS": args.web_workers,
                "INTERLINK_NODE_LOG_LEVEL": "WARNING",
                # One sender posts thousands of activities: measure intake, not its budget.
                "INTERLINK_NODE_BUDGETS": "0",
            },
        )
        print(f"two nodes up in {time.monotonic() - started:.1f} s: {node_a.url}, {node_b.url}")

        parts, figures = set(args.parts.split(",")), {}
        if "3" in parts:
            print("\n3. publish-to-visible (B follows A from its admin)")
            fed.follow(node_b, node_a)
            figures.update(latency(node_a, node_b, args.latency))
        if "1" in parts:
            print(f"\n1. fan-out of one Create to {args.inboxes} inboxes")
            body = json.dumps({"type": "Create", "object": {"content": "x" * 1500}}).encode()
            signing = signing_rate(key, body, 2.0)
            figures.update(fan_out(node_a, receivers, args.inboxes, signing))
        if "2" in parts:
            print(f"\n2. signed inbox POSTs against node B ({args.posts})")
            figures.update(
                inbox_intake(node_b, sender, key, args.posts, args.concurrency, args.rounds)
            )
        print("\nsummary: " + ", ".join(f"{name} {value:.3g}" for name, value in figures.items()))
        print(f"machine load average at the end: {os.getloadavg()[0]:.1f} (2 cores)")
    except BaseException:
        factory.keep_workdir = True
        print(f"\nlogs kept in {factory.workdir}\n{factory.log_report(30)}")
        raise
    finally:
        factory.close()
        receivers.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
