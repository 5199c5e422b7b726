"""The one outbound HTTP client: every fetch and delivery of the federation goes through it.

It refuses loopback, private, link-local, unspecified, multicast and reserved addresses,
checked *after* DNS resolution; the connection is pinned to the address that was checked (a
second resolution cannot rebind it), every redirect hop is checked again, and time and body
size are capped. Loopback opens only with ``FEDERATION_ALLOW_LOOPBACK`` (tests, local demos).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error

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
            return json.loads(self.body)
        except ValueError as error:
            raise FetchError(f"{self.url} did not answer with JSON") from error


def _getaddrinfo(host: str, port: int) -> list[tuple[Any, ...]]:
    """DNS resolution, kept in one function so tests can stub it."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


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


def resolve_checked(host: str, port: int) -> str:
    """Resolves ``host`` and returns one address to connect to, refusing if ANY is forbidden.

    Refusing on any forbidden answer (rather than picking an allowed one) keeps a name that
    mixes public and private records from being used as a pivot.
    """
    if not host:
        raise ForbiddenAddress("URL without a host")
    try:
        answers = _getaddrinfo(host, port)
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
                pool = urllib3.HTTPSConnectionPool(
                    address,
                    port,
                    maxsize=maxsize,
                    retries=False,
                    server_hostname=hostname,
                    assert_hostname=hostname,
                )
            else:
                pool = urllib3.HTTPConnectionPool(address, port, maxsize=maxsize, retries=False)
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
    address = resolve_checked(hostname, port)
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
    try:
        raw = pool.urlopen(
            method,
            target,
            body=body,
            headers=all_headers,
            redirect=False,
            retries=False,
            preload_content=False,
            timeout=urllib3.Timeout(connect=remaining, read=remaining),
        )
    except Urllib3Error as error:
        raise FetchError(f"{method} {url} failed: {error}") from error
    try:
        declared = raw.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise ResponseTooLarge(f"{url} declares {declared} bytes (limit {max_bytes})")
        chunks: list[bytes] = []
        size = 0
        for chunk in raw.stream(65536):
            size += len(chunk)
            if size > max_bytes:
                raise ResponseTooLarge(f"{url} sent more than {max_bytes} bytes")
            if time.monotonic() > deadline:
                raise FetchError(f"{url} took longer than the time limit")
            chunks.append(chunk)
    except Urllib3Error as error:
        raise FetchError(f"{method} {url} failed while reading: {error}") from error
    finally:
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
) -> Response:
    """Sends one request through the guard; redirects (GET only) are checked hop by hop.

    With ``sign_with`` every hop is signed (draft-cavage rsa-sha256) for its own URL.
    """
    deadline = time.monotonic() + float(setting("FEDERATION_HTTP_TIMEOUT"))
    max_bytes = int(setting("FEDERATION_HTTP_MAX_BYTES"))
    hops = int(setting("FEDERATION_HTTP_MAX_REDIRECTS")) if follow_redirects else 0
    current = url
    for _hop in range(hops + 1):
        hop_headers = dict(headers or {})
        if sign_with is not None:
            hop_headers.update(signatures.sign_request(method, current, body, sign_with))
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


def post_activity(url: str, body: bytes, sign_with: signatures.SigningKey) -> Response:
    """POSTs a signed activity; redirects are not followed (a moved inbox is a failure)."""
    return guarded_request(
        "POST",
        url,
        headers={"Content-Type": ACTIVITY_JSON, "Accept": ACCEPT_ACTIVITY},
        body=body,
        sign_with=sign_with,
    )
