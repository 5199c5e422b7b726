"""What both signature schemes share: errors, the signing key, digests, dates, host names,
and driving bovine's verifier from synchronous code."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from email.utils import formatdate
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from bovine.crypto.types import CryptographicIdentifier, CryptographicSecret


class SignatureError(Exception):
    """Base of every signature problem."""

    status = 401


class SignatureFormatError(SignatureError):
    """Missing or malformed signature headers, or a signature covering something this
    request does not have or we cannot build (400): found before any key is looked up."""

    status = 400


class SignatureVerificationError(SignatureError):
    """The signature does not verify, is stale, or the key is not the actor's (401)."""

    status = 401


class SignatureMissing(SignatureVerificationError):
    """No signature at all (401, as Mastodon answers)."""


class SignatureMismatch(SignatureVerificationError):
    """The sender's key made the signature, but over other request data than we received
    (401). The key is fine, so it is not fetched again."""


@dataclass(frozen=True)
class SigningKey:
    """What signing needs: the key id (``actor#main-key``) and the PEM private key."""

    key_id: str
    private_key_pem: str

    @property
    def secret(self) -> CryptographicSecret:
        return _secret(self.key_id, self.private_key_pem)


@lru_cache(maxsize=64)
def _secret(key_id: str, pem: str) -> CryptographicSecret:
    # Parsing a PEM costs more than signing; keep the parsed key per (key id, PEM).
    return CryptographicSecret.from_pem(key_id, pem)


@lru_cache(maxsize=1024)
def identifier_from_pem(public_key_pem: str, owner: str) -> CryptographicIdentifier:
    return CryptographicIdentifier.from_pem(public_key_pem, owner)


def digest(body: bytes) -> str:
    """The draft-cavage ``Digest`` header value for ``body``.

    >>> digest(b"moo")
    'SHA-256=R9+ukoir89XSJSq/sL1qyWYmN9ZG5t+dXSdLwzbierw='
    """
    return "SHA-256=" + base64.standard_b64encode(hashlib.sha256(body).digest()).decode()


def content_digest(body: bytes) -> str:
    """The RFC 9530 ``Content-Digest`` header value for ``body``.

    >>> content_digest(b"moo")
    'sha-256=:R9+ukoir89XSJSq/sL1qyWYmN9ZG5t+dXSdLwzbierw=:'
    """
    return "sha-256=:" + base64.standard_b64encode(hashlib.sha256(body).digest()).decode() + ":"


def http_date(timestamp: float | None = None) -> str:
    return formatdate(timestamp if timestamp is not None else time.time(), usegmt=True)


def authority(url: str) -> str:
    """Host and port of ``url`` as one compares them: lower case, the default port dropped
    (also RFC 9421's ``@authority``, normalised as HTTP says).

    Every "same host?" check of the federation (inbox, actor documents, keys) uses this,
    so ``https://Town.example:443/a`` and ``https://town.example/b`` match while
    ``http://127.0.0.1:8001`` and ``http://127.0.0.1:8002`` do not.

    >>> authority("https://Town.example:443/users/a")
    'town.example'
    >>> authority("http://127.0.0.1:8001/ap/actor")
    '127.0.0.1:8001'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        return f"{host}:invalid"
    default = 443 if parts.scheme == "https" else 80
    return host if port in (None, default) else f"{host}:{port}"


def run_sync(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Drives bovine's verifier synchronously: our key retriever never awaits anything real,
    so the coroutine finishes on its first step (no event loop, safe in Django sync views)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    return asyncio.run(coroutine)  # pragma: no cover - only if bovine starts awaiting I/O
