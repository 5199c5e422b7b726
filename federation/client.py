"""The one outbound HTTP client: every fetch and delivery of the federation goes through it.

It refuses loopback, private, link-local, unspecified, multicast and reserved addresses,
checked *after* DNS resolution; the connection is pinned to the address that was checked (a
second resolution cannot rebind it), every redirect hop is checked again, and time and body
size are capped. Loopback opens only with ``FEDERATION_ALLOW_LOOPBACK`` (tests, local demos).

The time cap (``FEDERATION_HTTP_TIMEOUT``) is one budget for the whole request, redirects
included: name resolution waits at most the remaining time, and a watchdog shuts down the
request's socket when the budget runs out, whatever it is waiting for (TLS handshake,
headers, a body trickled a byte at a time). Per-read socket timeouts alone would let a slow
server hold us for as long as it keeps sending.
"""

from __future__ import annotations

import heapq
import http.client
import ipaddress
import itertools
import logging
import socket
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError as Urllib3Error

from interlink_blocks import safejson

from . import signatures
from .conf import setting

logger = logging.getLogger(__name__)

USER_AGENT = "Interlink (+https://interlink-project.eu; bovine)"
ACTIVITY_JSON = "application/activity+json"
ACCEPT_ACTIVITY = (
    f'{ACTIVITY_JSON}, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(Exception):
    """Anything that went wrong fetching or posting; the message says what."""


class ForbiddenAddress(FetchError):
    """The URL points (after resolution) at an address we never contact."""


class ResponseTooLarge(FetchError):
    """The response body is bigger than the cap."""


@dataclass
class Response:
    status: int
    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        try:
            return safejson.loads(self.body)  # a remote document may nest without end
        except ValueError as error:
            raise FetchError(f"{self.url} did not answer with JSON") from error


def _getaddrinfo(host: str, port: int) -> list[tuple[Any, ...]]:
    """DNS resolution, kept in one function so tests can stub it."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


# getaddrinfo has no timeout of its own: lookups of names run here and are waited for at
# most the request's remaining time (a hung lookup then only occupies one of these threads).
_resolver = ThreadPoolExecutor(max_workers=16, thread_name_prefix="federation-dns")


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _lookup(host: str, port: int, deadline: float | None) -> list[tuple[Any, ...]]:
    """``_getaddrinfo`` within the time budget (IP literals need no lookup thread)."""
    if deadline is None or _is_ip_literal(host):
        return _getaddrinfo(host, port)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"time limit reached before resolving {host}")
    future = _resolver.submit(_getaddrinfo, host, port)
    try:
        return future.result(timeout=remaining)
    except FutureTimeout as error:
        future.cancel()
        raise FetchError(f"resolving {host} took longer than the time limit") from error


def address_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether we may open a socket to ``address``.

    >>> address_allowed(ipaddress.ip_address("10.1.2.3"))
    False
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        elif address in _NAT64:
            address = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.is_unspecified or address.is_multicast:
        return False
    if address.is_loopback:
        return bool(setting("FEDERATION_ALLOW_LOOPBACK"))
    if address.is_private or address.is_link_local or address.is_reserved:
        return False
    return address.is_global


def resolve_checked(host: str, port: int, deadline: float | None = None) -> str:
    """Resolves ``host`` and returns one address to connect to, refusing if ANY is forbidden.

    Refusing on any forbidden answer (rather than picking an allowed one) keeps a name that
    mixes public and private records from being used as a pivot. With ``deadline`` (a
    ``time.monotonic()`` value) the lookup counts against the request's time budget.
    """
    if not host:
        raise ForbiddenAddress("URL without a host")
    try:
        answers = _lookup(host, port, deadline)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"cannot resolve {host}: {error}") from error
    addresses = []
    for family, *_rest, sockaddr in answers:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if not address_allowed(address):
            raise ForbiddenAddress(f"{host} resolves to a forbidden address ({address})")
        addresses.append(str(address))
    if not addresses:
        raise FetchError(f"{host} has no usable address")
    return addresses[0]


class _Budget:
    """One request's time budget: the sockets it uses are shut down when it runs out.

    Shutting a socket down wakes whatever read, write or handshake is blocked on it, so no
    single slow step can outlast the budget.
    """

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.expired = False
        self._done = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def attach(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if self._done:
                return
            if self.expired:
                _shutdown(sock)
            elif all(known is not sock for known in self._sockets):
                self._sockets.append(sock)

    def expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)

    def finish(self) -> None:
        with self._lock:
            self._done = True
            self._sockets.clear()


def _shutdown(sock: socket.socket) -> None:
    try:
        # The plain socket's shutdown, also for TLS sockets: it ends the connection under
        # the TLS layer without touching the TLS state another thread may be using.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


class _Watchdog:
    """One daemon thread that expires budgets at their deadlines (a heap, not a timer
    thread per request: fan-outs make thousands of requests)."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, _Budget]] = []
        self._counter = itertools.count()
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None

    def watch(self, budget: _Budget) -> None:
        with self._condition:
            heapq.heappush(self._heap, (budget.deadline, next(self._counter), budget))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="federation-http-watchdog", daemon=True
                )
                self._thread.start()
            self._condition.notify()

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._heap:
                    self._condition.wait()
                deadline, _order, budget = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._condition.wait(wait)
                    continue
                heapq.heappop(self._heap)
            budget.expire()


_watchdog = _Watchdog()
_current = threading.local()  # the budget of the request this thread is making


def _current_budget() -> _Budget | None:
    return getattr(_current, "budget", None)


class _BudgetedConnectionMixin:
    """Hands every socket of a request to its budget: the TCP socket as soon as it is
    connected (with the remaining time as its timeout, which bounds the TLS handshake), the
    TLS socket after the handshake, and the socket of a reused keep-alive connection."""

    sock: socket.socket | None

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        budget = _current_budget()
        if budget is not None:
            sock.settimeout(max(0.001, budget.remaining()))
            budget.attach(sock)
        return sock

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        budget = _current_budget()
        if budget is not None:
            budget.attach(self.sock)

    def getresponse(self) -> Any:
        budget = _current_budget()
        if budget is not None:
            budget.attach(self.sock)
        return super().getresponse()  # type: ignore[misc]


class _BudgetedHTTPConnection(_BudgetedConnectionMixin, HTTPConnection):
    pass


class _BudgetedHTTPSConnection(_BudgetedConnectionMixin, HTTPSConnection):
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _BudgetedHTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _BudgetedHTTPSConnection


class _PoolCache:
    """Keep-alive pools per (scheme, pinned address, port, host name); bounded LRU."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.pools: OrderedDict[tuple[str, str, int, str], urllib3.HTTPConnectionPool] = (
            OrderedDict()
        )
        self.lock = threading.Lock()

    def get(
        self, scheme: str, address: str, port: int, hostname: str
    ) -> urllib3.HTTPConnectionPool:
        key = (scheme, address, port, hostname)
        with self.lock:
            pool = self.pools.get(key)
            if pool is not None:
                self.pools.move_to_end(key)
                return pool
            maxsize = max(1, int(setting("FEDERATION_DELIVERY_THREADS")))
            if scheme == "https":
                # Connect to the pinned address but verify the certificate for the name.
                pool = _HTTPSPool(
                    address,
                    port,
                    maxsize=maxsize,
                    retries=False,
                    server_hostname=hostname,
                    assert_hostname=hostname,
                )
            else:
                pool = _HTTPPool(address, port, maxsize=maxsize, retries=False)
            self.pools[key] = pool
            while len(self.pools) > self.size:
                _key, old = self.pools.popitem(last=False)
                old.close()
            return pool


_pools = _PoolCache()


def _host_header(hostname: str, port: int, scheme: str) -> str:
    name = f"[{hostname}]" if ":" in hostname else hostname
    default = 443 if scheme == "https" else 80
    return name if port == default else f"{name}:{port}"


def _one_request(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | None,
    deadline: float,
    max_bytes: int,
) -> Response:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ForbiddenAddress(f"scheme {parts.scheme!r} is not allowed")
    hostname = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchError(f"bad port in {url}") from error
    address = resolve_checked(hostname, port, deadline)
    pool = _pools.get(parts.scheme, address, port, hostname)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    all_headers = {
        "User-Agent": USER_AGENT,
        "Host": _host_header(hostname, port, parts.scheme),
        **headers,
    }
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"time limit reached before {url}")
    budget = _Budget(deadline)
    _current.budget = budget
    _watchdog.watch(budget)
    try:
        return _exchange(pool, method, url, target, all_headers, body, remaining, max_bytes, budget)
    except (Urllib3Error, OSError, http.client.HTTPException) as error:
        if budget.expired:
            raise FetchError(f"{method} {url} took longer than the time limit") from error
        raise FetchError(f"{method} {url} failed: {error}") from error
    finally:
        budget.finish()
        _current.budget = None


def _exchange(
    pool: urllib3.HTTPConnectionPool,
    method: str,
    url: str,
    target: str,
    headers: dict[str, str],
    body: bytes | None,
    remaining: float,
    max_bytes: int,
    budget: _Budget,
) -> Response:
    """Sends the request and reads the answer; the budget's watchdog bounds every step."""
    raw = pool.urlopen(
        method,
        target,
        body=body,
        headers=headers,
        redirect=False,
        retries=False,
        preload_content=False,
        timeout=urllib3.Timeout(connect=remaining, read=remaining),
    )
    complete = False
    try:
        declared = raw.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise ResponseTooLarge(f"{url} declares {declared} bytes (limit {max_bytes})")
        chunks: list[bytes] = []
        size = 0
        while True:
            # read1 returns what has arrived (up to the amount) instead of waiting to fill
            # a whole chunk, so the deadline is looked at after every socket read.
            chunk = raw.read1(65536)
            if budget.expired or time.monotonic() > budget.deadline:
                raise FetchError(f"{url} took longer than the time limit")
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise ResponseTooLarge(f"{url} sent more than {max_bytes} bytes")
            chunks.append(chunk)
        complete = True
    finally:
        if not complete:
            raw.close()  # unread data or a shut-down socket: never back into the pool
        raw.release_conn()
    return Response(
        status=raw.status,
        url=url,
        body=b"".join(chunks),
        headers={key.lower(): value for key, value in raw.headers.items()},
    )


def guarded_request(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    follow_redirects: bool = False,
    sign_with: signatures.SigningKey | None = None,
    scheme: signatures.Scheme = "cavage",
    max_bytes: int | None = None,
    timeout: float | None = None,
) -> Response:
    """Sends one request through the guard; redirects (GET only) are checked hop by hop.

    With ``sign_with`` every hop is signed for its own URL, with ``scheme`` (draft-cavage
    rsa-sha256 unless told otherwise: every server verifies it; deliveries choose per host,
    see ``knocking``).
    ``max_bytes`` and ``timeout`` override ``FEDERATION_HTTP_MAX_BYTES`` and
    ``FEDERATION_HTTP_TIMEOUT`` for this call (reuse downloads files larger than an
    ActivityStreams document); the address checks stay the same.
    """
    if timeout is None:
        timeout = float(setting("FEDERATION_HTTP_TIMEOUT"))
    deadline = time.monotonic() + float(timeout)
    if max_bytes is None:
        max_bytes = int(setting("FEDERATION_HTTP_MAX_BYTES"))
    hops = int(setting("FEDERATION_HTTP_MAX_REDIRECTS")) if follow_redirects else 0
    current = url
    for _hop in range(hops + 1):
        hop_headers = dict(headers or {})
        if sign_with is not None:
            hop_headers.update(
                signatures.sign_request(method, current, body, sign_with, scheme=scheme)
            )
        response = _one_request(method, current, hop_headers, body, deadline, max_bytes)
        if follow_redirects and response.status in (301, 302, 303, 307, 308):
            location = response.headers.get("location")
            if not location:
                return response
            current = urljoin(current, location)
            continue
        return response
    raise FetchError(f"too many redirects from {url}")


def fetch_json(url: str, *, sign_with: signatures.SigningKey | None = None) -> Any:
    """GETs an ActivityStreams document (signed when a key is given) and parses it."""
    response = guarded_request(
        "GET",
        url,
        headers={"Accept": ACCEPT_ACTIVITY},
        follow_redirects=True,
        sign_with=sign_with,
    )
    if not response.ok:
        raise FetchError(f"GET {url} answered {response.status}")
    return response.json()


def post_activity(
    url: str,
    body: bytes,
    sign_with: signatures.SigningKey,
    scheme: signatures.Scheme = "cavage",
) -> Response:
    """POSTs a signed activity; redirects are not followed (a moved inbox is a failure)."""
    return guarded_request(
        "POST",
        url,
        headers={"Content-Type": ACTIVITY_JSON, "Accept": ACCEPT_ACTIVITY},
        body=body,
        sign_with=sign_with,
        scheme=scheme,
    )
