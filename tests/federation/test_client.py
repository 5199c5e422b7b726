"""The outbound client's guard: loopback, private and public addresses, redirects, caps."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from interlink_federation import client


@pytest.fixture
def no_foreign_sockets(monkeypatch):
    """Ensures no socket can connect anywhere but 127.0.0.1, even if the guard were broken."""
    real_connect = socket.socket.connect

    def connect(self, address):
        if address[0] != "127.0.0.1":
            raise AssertionError(f"attempted connection to {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def stub_resolution(monkeypatch, table: dict[str, str]) -> list[str]:
    calls: list[str] = []

    def fake(host, port):
        calls.append(host)
        address = table[host]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(client, "_getaddrinfo", fake)
    return calls


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.1", "2130706433", "0.0.0.0", "[::1]", "[::ffff:127.0.0.1]", "localhost"],
)
def test_loopback_forms_refused_without_exception(host, listener, settings, no_foreign_sockets):
    """Ensures that every spelling of loopback is refused with the exception off, and no request arrives."""
    settings.FEDERATION_ALLOW_LOOPBACK = False
    with pytest.raises(client.ForbiddenAddress):
        client.guarded_request("GET", f"http://{host}:{listener.port}/actor")
    assert listener.hits == []


def test_loopback_allowed_only_by_setting(listener, settings):
    """Ensures that FEDERATION_ALLOW_LOOPBACK opens 127.0.0.1 and the request arrives."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    listener.json_route("/actor", {"id": "x"})
    response = client.guarded_request("GET", f"{listener.base}/actor")
    assert response.status == 200 and response.json() == {"id": "x"}
    assert len(listener.hits) == 1


def test_unspecified_refused_even_with_loopback_open(settings, no_foreign_sockets):
    """Ensures that 0.0.0.0 and :: stay refused when loopback is allowed."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    for host in ("0.0.0.0", "[::]"):
        with pytest.raises(client.ForbiddenAddress):
            client.guarded_request("GET", f"http://{host}:1/")


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.5",
        "172.16.3.4",
        "192.168.1.10",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "fd00::1",
        "fe80::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "64:ff9b::a00:1",
    ],
)
def test_private_addresses_refused_after_resolution(
    address, monkeypatch, settings, no_foreign_sockets
):
    """Ensures that names resolving to private, link-local, multicast or reserved addresses are refused."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    stub_resolution(monkeypatch, {"intranet.example": address})
    with pytest.raises(client.ForbiddenAddress):
        client.guarded_request("GET", "https://intranet.example/actor")


def test_mixed_answers_refused(monkeypatch, no_foreign_sockets):
    """Ensures that a name with one public and one private record is refused outright."""

    def fake(host, port):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port)),
        ]

    monkeypatch.setattr(client, "_getaddrinfo", fake)
    with pytest.raises(client.ForbiddenAddress):
        client.resolve_checked("mixed.example", 443)


def test_public_address_passes_the_guard_without_connecting(monkeypatch):
    """Ensures that a public address passes the check (resolution stubbed, no socket opened)."""
    stub_resolution(monkeypatch, {"town.example": "93.184.216.34"})
    assert client.resolve_checked("town.example", 443) == "93.184.216.34"


def test_connection_pinned_to_checked_address(listener, monkeypatch, settings):
    """Ensures that a name is resolved once per request and the socket goes to that address."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    calls = stub_resolution(monkeypatch, {"pinned.example": "127.0.0.1"})
    listener.json_route("/doc", {"ok": True})
    response = client.guarded_request("GET", f"http://pinned.example:{listener.port}/doc")
    assert response.json() == {"ok": True}
    assert calls == ["pinned.example"]
    assert listener.hits[0]["headers"]["Host"] == f"pinned.example:{listener.port}"


def test_redirect_to_private_address_refused(listener, settings, no_foreign_sockets):
    """Ensures that a redirect hop to a private address is refused before any connection."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    listener.routes["/start"] = (302, {"Location": "http://10.0.0.7/secret"}, b"")
    with pytest.raises(client.ForbiddenAddress):
        client.guarded_request("GET", f"{listener.base}/start", follow_redirects=True)
    assert [hit["path"] for hit in listener.hits] == ["/start"]


def test_redirect_to_loopback_refused_when_closed(
    listener, monkeypatch, settings, no_foreign_sockets
):
    """Ensures that each hop is re-checked: a public name redirecting to loopback is refused."""
    settings.FEDERATION_ALLOW_LOOPBACK = False
    stub_resolution(monkeypatch, {"public.example": "93.184.216.34", "127.0.0.1": "127.0.0.1"})
    real_one_request = client._one_request

    def fake_public_hop(method, url, headers, body, deadline, max_bytes):
        # The public server itself is never contacted: its answer is a redirect to loopback.
        if "public.example" in url:
            return client.Response(
                302, url, b"", {"location": f"http://127.0.0.1:{listener.port}/"}
            )
        return real_one_request(method, url, headers, body, deadline, max_bytes)

    monkeypatch.setattr(client, "_one_request", fake_public_hop)
    with pytest.raises(client.ForbiddenAddress):
        client.guarded_request("GET", "https://public.example/", follow_redirects=True)
    assert listener.hits == []


def test_redirects_followed_within_limit(listener, settings):
    """Ensures that allowed redirects are followed and loops stop at the limit."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    listener.routes["/a"] = (301, {"Location": "/b"}, b"")
    listener.json_route("/b", {"at": "b"})
    assert client.fetch_json(f"{listener.base}/a") == {"at": "b"}
    listener.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(client.FetchError):
        client.guarded_request("GET", f"{listener.base}/loop", follow_redirects=True)


def test_response_size_capped(listener, settings):
    """Ensures that a body over the cap is refused."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    settings.FEDERATION_HTTP_MAX_BYTES = 1000
    listener.routes["/big"] = (200, {}, b"x" * 5000)
    with pytest.raises(client.ResponseTooLarge):
        client.guarded_request("GET", f"{listener.base}/big")


def test_non_http_schemes_refused(no_foreign_sockets):
    """Ensures that file:, ftp: and similar schemes are refused."""
    for url in ("file:///etc/passwd", "ftp://example.org/", "gopher://example.org/"):
        with pytest.raises(client.ForbiddenAddress):
            client.guarded_request("GET", url)


@pytest.fixture
def trickler():
    """Ensures a loopback server that answers a byte at a time, every 0.5 s: ``mode`` picks
    whether the headers come at once (with a Content-Length of 40) or trickle too. It stops
    after 16 bytes, so even a client without a total deadline finishes the test (late)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0.2)
    state = {
        "mode": "body",
        "stop": threading.Event(),
        "connections": 0,
        "sent": 0,  # trickled bytes the client took before it hung up
        "hung_up": threading.Event(),
    }

    def serve() -> None:
        while not state["stop"].is_set():
            try:
                conn, _address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            state["connections"] += 1
            with conn:
                conn.settimeout(5)
                request = b""
                while b"\r\n\r\n" not in request:
                    data = conn.recv(4096)
                    if not data:
                        break
                    request += data
                head = b"HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n"
                if state["mode"] == "body":
                    conn.sendall(head)
                    payload = b"x" * 16
                else:
                    payload = head
                try:
                    for byte in payload[:16]:
                        if state["stop"].is_set():
                            break
                        conn.sendall(bytes([byte]))
                        state["sent"] += 1
                        time.sleep(0.5)
                except OSError:
                    state["hung_up"].set()  # the client hung up, as it should

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    state["port"] = server.getsockname()[1]
    yield state
    state["stop"].set()
    thread.join(timeout=10)
    server.close()


@pytest.mark.parametrize("mode", ["body", "headers"])
def test_trickling_server_cannot_outlast_the_time_cap(trickler, settings, mode):
    """Ensures that a server sending one byte every 0.5 s (body or headers) is cut off at the
    total time cap, not after its last byte: every socket read counts against one budget."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    settings.FEDERATION_HTTP_TIMEOUT = 2
    trickler["mode"] = mode
    with pytest.raises(client.FetchError, match="time limit"):
        client.guarded_request("GET", f"http://127.0.0.1:{trickler['port']}/slow")
    assert trickler["connections"] == 1
    # Cut off mid-trickle: the server saw the client hang up before its 16th byte (a client
    # without one total deadline reads every byte, each within its per-read timeout).
    assert trickler["hung_up"].wait(10)
    assert trickler["sent"] < 16, trickler["sent"]


def test_slow_name_resolution_counts_against_the_cap(monkeypatch, settings, no_foreign_sockets):
    """Ensures that DNS resolution is inside the time budget: a lookup that hangs (stubbed,
    no socket is ever opened) fails the request at the cap."""
    settings.FEDERATION_HTTP_TIMEOUT = 1
    release = threading.Event()

    def hanging(host, port):
        release.wait(5)
        raise OSError("resolver gave up")

    monkeypatch.setattr(client, "_getaddrinfo", hanging)
    try:
        # "time limit", not the resolver's own "gave up" (which comes only once released):
        # the cap ended the request while name resolution still hung.
        with pytest.raises(client.FetchError, match="time limit"):
            client.guarded_request("GET", "https://slow-dns.example/actor")
    finally:
        release.set()


def test_fast_response_within_cap_is_read_whole(listener, settings):
    """Ensures that the per-read deadline checks do not cut normal answers: a body in several
    reads arrives whole and the connection is reused."""
    settings.FEDERATION_ALLOW_LOOPBACK = True
    listener.routes["/big"] = (200, {}, b"y" * 300_000)
    for _round in range(2):
        response = client.guarded_request("GET", f"{listener.base}/big")
        assert response.status == 200 and response.body == b"y" * 300_000
