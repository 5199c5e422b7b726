"""Federation fixtures: key pairs, local and remote actors, signed requests, a loopback listener."""

from __future__ import annotations

import ipaddress
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from bovine.crypto import generate_rsa_public_private_key
from django.utils import timezone
from wagtail.models import Site

from interlink_federation import client as federation_client
from interlink_federation import signatures
from interlink_federation.actors import get_local_actor
from interlink_federation.models import LocalActor, RemoteActor

REMOTE = "https://remote.example"


@pytest.fixture(scope="session")
def local_keypair() -> tuple[str, str]:
    return generate_rsa_public_private_key()


@pytest.fixture(autouse=True)
def fresh_local_caches() -> Iterator[None]:
    """Ensures that no per-process cache (blocklist, local actors, keys) nor the shared cache
    (key refetch limits) outlives a test: the rollback between tests sends no
    post_save/post_delete to clear them."""
    from django.core.cache import cache

    from interlink_federation.localcache import clear_all

    clear_all()
    cache.clear()
    yield
    clear_all()
    cache.clear()


@pytest.fixture(autouse=True)
def offline(monkeypatch, local_keypair):
    """Ensures that no test resolves a real name (only loopback literals and localhost), and
    that local actors reuse one key pair instead of generating one per test."""
    real = federation_client._getaddrinfo

    def loopback_only(host, port):
        try:
            ipaddress.ip_address(host)
            literal = True
        except ValueError:
            literal = host.replace(".", "").isdigit()  # 127.1, 2130706433
        if literal or host == "localhost":
            return real(host, port)
        raise OSError(f"name resolution is disabled in tests ({host})")

    monkeypatch.setattr(federation_client, "_getaddrinfo", loopback_only)
    monkeypatch.setattr(
        "interlink_federation.actors.generate_rsa_public_private_key", lambda: local_keypair
    )


@pytest.fixture(scope="session")
def keypair() -> tuple[str, str]:
    """Ensures one RSA key pair (public PEM, private PEM) per run: generation is slow."""
    return generate_rsa_public_private_key()


@pytest.fixture(scope="session")
def other_keypair() -> tuple[str, str]:
    return generate_rsa_public_private_key()


@pytest.fixture
def local_actor(home) -> LocalActor:
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "testserver", 80
    site.save()
    return get_local_actor(site)


@pytest.fixture
def remote_actor(db, keypair) -> RemoteActor:
    """A remote actor already in the cache (no fetch needed to verify its signatures)."""
    public_pem, _private = keypair
    return RemoteActor.objects.create(
        uri=f"{REMOTE}/users/town",
        domain="remote.example",
        username="town",
        name="Town of Remote",
        inbox=f"{REMOTE}/users/town/inbox",
        shared_inbox=f"{REMOTE}/inbox",
        key_id=f"{REMOTE}/users/town#main-key",
        public_key_pem=public_pem,
        fetched_at=timezone.now(),
    )


@pytest.fixture
def remote_key(keypair, remote_actor) -> signatures.SigningKey:
    return signatures.SigningKey(remote_actor.key_id, keypair[1])


def signed_headers(
    url: str, body: bytes, key: signatures.SigningKey, **overrides: str
) -> dict[str, str]:
    """Django test-client kwargs for a POST signed like Mastodon signs it."""
    headers = signatures.sign_request("POST", url, body, key)
    headers.update(overrides)
    meta = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    meta.pop("HTTP_HOST", None)
    return meta


@pytest.fixture
def post_inbox(client) -> Callable[..., Any]:
    """POSTs an activity to our inbox, signed with ``key`` (pass ``sign=False`` for none)."""

    def post(
        activity: dict[str, Any] | bytes,
        key: signatures.SigningKey | None = None,
        path: str = "/ap/inbox",
        content_type: str = "application/activity+json",
        **extra: str,
    ) -> Any:
        body = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
        meta = signed_headers(f"http://testserver{path}", body, key) if key else {}
        meta.update(extra)
        return client.post(path, data=body, content_type=content_type, **meta)

    return post


@dataclass
class Listener:
    """A real HTTP server on 127.0.0.1 that records requests and answers from a table."""

    port: int = 0
    hits: list[dict[str, Any]] = field(default_factory=list)
    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    default: tuple[int, dict[str, str], bytes] = (202, {}, b"")
    # Answers computed from the request (its hit), when a fixed table will not do.
    respond: Callable[[dict[str, Any]], tuple[int, dict[str, str], bytes]] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def json_route(self, path: str, document: Any, status: int = 200) -> None:
        self.routes[path] = (
            status,
            {"Content-Type": "application/activity+json"},
            json.dumps(document).encode(),
        )


@pytest.fixture
def listener() -> Iterator[Listener]:
    """Ensures a loopback HTTP server for the test's duration; it counts every request."""
    state = Listener()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            state.hits.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": dict(self.headers),
                    "body": body,
                }
            )
            if state.respond is not None:
                status, headers, payload = state.respond(state.hits[-1])
            else:
                status, headers, payload = state.routes.get(self.path, state.default)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _answer

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
