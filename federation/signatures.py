"""HTTP Signatures: digest, signing (draft-cavage rsa-sha256) and verification.

No database access here: the key lookup is injected as a callable, like bovine's
``key_retriever``. Verification of the signature itself is bovine's
(``build_validate_http_signature_raw``, draft-cavage and RFC 9421); this module closes the
gaps FACTS.md lists: freshness of ``created``/``expires`` (both kinds), the query string in
``(request-target)``, required covered components, and binding the key to its owner.

Errors: ``SignatureFormatError`` (→ 400) for missing or malformed parts,
``SignatureVerificationError`` (→ 401) for anything that does not verify.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache
from typing import Any, Literal, TypedDict
from urllib.parse import urlsplit

import http_sf
from bovine.crypto import build_validate_http_signature_raw
from bovine.crypto.http_signature import HttpSignature
from bovine.crypto.signature import Signature
from bovine.crypto.signature_checker import SignatureChecker
from bovine.crypto.types import CryptographicIdentifier, CryptographicSecret


class SignatureError(Exception):
    """Base of every signature problem."""

    status = 401


class SignatureFormatError(SignatureError):
    """Missing or malformed signature headers (400)."""

    status = 400


class SignatureVerificationError(SignatureError):
    """The signature does not verify, is stale, or the key is not the actor's (401)."""

    status = 401


class SignatureMissing(SignatureVerificationError):
    """No signature at all (401, as Mastodon answers)."""


class ParsedSignature(TypedDict):
    scheme: Literal["cavage", "rfc9421"]
    key_id: str
    fields: list[str]
    created: int | None
    expires: int | None


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
    """The ``Digest`` header value for ``body``.

    >>> digest(b"moo")
    'SHA-256=R9+ukoir89XSJSq/sL1qyWYmN9ZG5t+dXSdLwzbierw='
    """
    return "SHA-256=" + base64.standard_b64encode(hashlib.sha256(body).digest()).decode()


def http_date(timestamp: float | None = None) -> str:
    return formatdate(timestamp if timestamp is not None else time.time(), usegmt=True)


def request_target(method: str, url: str) -> str:
    """``(request-target)``: lower-case method, path and query (bovine drops the query)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return f"{method.lower()} {path}"


def authority(url: str) -> str:
    """Host and port of ``url`` as one compares them: lower case, the default port dropped.

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


def sign_request(
    method: str, url: str, body: bytes | None, key: SigningKey, date: str | None = None
) -> dict[str, str]:
    """Headers that sign a request: draft-cavage rsa-sha256 over
    ``(request-target) host date`` plus ``digest`` when there is a body."""
    signature = HttpSignature()
    signature.with_field("(request-target)", request_target(method, url))
    headers = {"Host": authority(url), "Date": date or http_date()}
    signature.with_field("host", headers["Host"])
    signature.with_field("date", headers["Date"])
    if body is not None:
        headers["Digest"] = digest(body)
        signature.with_field("digest", headers["Digest"])
    headers["Signature"] = signature.sign_for_http_draft(key.secret)
    return headers


def parse(headers: dict[str, str]) -> ParsedSignature:
    """Parses either signature kind; ``headers`` has lower-case names."""
    if "signature" not in headers:
        raise SignatureMissing("The request is not signed (no Signature header).")
    if "signature-input" in headers:
        try:
            parsed_input: Any = http_sf.parse_dictionary(headers["signature-input"].encode())[1]
            if len(parsed_input) != 1:
                raise SignatureFormatError("Exactly one RFC 9421 signature is supported.")
            members, params = next(iter(parsed_input.values()))
            if not isinstance(members, list) or "keyid" not in params:
                raise SignatureFormatError("Signature-Input lacks covered components or keyid.")
        except SignatureFormatError:
            raise
        except Exception as error:
            raise SignatureFormatError(f"Malformed Signature-Input: {error}") from error
        return ParsedSignature(
            scheme="rfc9421",
            key_id=str(params["keyid"]),
            fields=[str(member[0]) for member in members],
            created=_int_or_none(params.get("created")),
            expires=_int_or_none(params.get("expires")),
        )
    try:
        signature = Signature.from_signature_header(headers["signature"])
    except (KeyError, ValueError, IndexError) as error:
        raise SignatureFormatError(f"Malformed Signature header: {error}") from error
    return ParsedSignature(
        scheme="cavage",
        key_id=signature.key_id,
        fields=[field.lower() for field in signature.fields],
        created=signature.created,
        expires=signature.expires,
    )


def _int_or_none(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise SignatureFormatError(f"Bad signature timestamp {value!r}") from error


def check_components(parsed: ParsedSignature, method: str) -> None:
    """The signature must cover what identifies the request (and its body for POSTs), and
    carry a signed time: draft-cavage a covered ``date`` or ``(created)``; RFC 9421 its
    ``created`` parameter (part of the signed ``@signature-params``) or a covered ``date``.
    """
    fields = set(parsed["fields"])
    if parsed["scheme"] == "cavage":
        required = [{"(request-target)"}, {"host"}, {"date", "(created)"}]
    else:
        required = [{"@method"}, {"@path", "@target-uri"}, {"@authority", "host"}]
        if parsed["created"] is None and "date" not in fields:
            raise SignatureFormatError(
                "The RFC 9421 signature has no created parameter and does not cover date."
            )
    if method.upper() == "POST":
        required.append({"digest", "content-digest"})
    for alternatives in required:
        if not fields & alternatives:
            raise SignatureFormatError(
                f"The signature does not cover {' or '.join(sorted(alternatives))}."
            )


def check_freshness(
    parsed: ParsedSignature, headers: dict[str, str], window: int, now: float | None = None
) -> None:
    """The signed times within the window, for both signature kinds.

    Only what the signature covers counts: ``created``/``expires`` (signed parameters) and
    the ``Date`` header when ``date`` is a covered component. An uncovered Date header could
    be rewritten by anyone replaying the request, so it is not evidence of freshness.
    """
    now = time.time() if now is None else now
    date_signed = "date" in parsed["fields"]
    if date_signed:
        if "date" not in headers:
            raise SignatureFormatError("The signature covers date but there is no Date header.")
        try:
            date = parsedate_to_datetime(headers["date"]).timestamp()
        except (TypeError, ValueError) as error:
            raise SignatureFormatError("Malformed Date header.") from error
        if abs(now - date) > window:
            raise SignatureVerificationError("The Date header is outside the allowed window.")
    elif parsed["created"] is None:
        raise SignatureFormatError("The signature covers neither a date nor a created time.")
    if parsed["created"] is not None and abs(now - parsed["created"]) > window:
        raise SignatureVerificationError("The signature's created time is outside the window.")
    if parsed["expires"] is not None and parsed["expires"] < now:
        raise SignatureVerificationError("The signature has expired.")


def check_digest(headers: dict[str, str], body: bytes) -> None:
    if "digest" not in headers and "content-digest" not in headers:
        raise SignatureFormatError("POST without a Digest or Content-Digest header.")
    if not SignatureChecker(_no_key).validate_digest(headers, body):
        raise SignatureVerificationError("The body does not match its digest.")


async def _no_key(_key_id: str) -> None:
    return None


class _QueryAwareChecker(SignatureChecker):
    """bovine's checker with ``(request-target)`` including the query string."""

    def build_http_signature(
        self,
        signature_fields: list[str],
        method: str,
        url: str,
        parsed_signature: Any,
        headers: dict[str, str],
    ) -> HttpSignature:
        signature = super().build_http_signature(
            signature_fields, method, url, parsed_signature, headers
        )
        signature.fields = [
            (name, request_target(method, url) if name == "(request-target)" else value)
            for name, value in signature.fields
        ]
        return signature


def _run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Drives bovine's verifier synchronously: our key retriever never awaits anything real,
    so the coroutine finishes on its first step (no event loop, safe in Django sync views)."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    return asyncio.run(coroutine)  # pragma: no cover - only if bovine starts awaiting I/O


def _bovine_verify(
    method: str, url: str, headers: dict[str, str], body: bytes, key: CryptographicIdentifier
) -> str | None:
    async def retrieve(_key_id: str) -> CryptographicIdentifier:
        return key

    async def read_body() -> bytes:
        return body

    checker = _QueryAwareChecker(retrieve)
    if "signature-input" in headers:
        validate = build_validate_http_signature_raw(retrieve)
        return _run(validate(method, url, headers, read_body))
    return _run(checker.validate_signature(method, url, headers, read_body))


KeyLookup = Callable[[str, bool], CryptographicIdentifier | None]
"""``lookup(key_id, refresh)`` → the key and its owner, or ``None``; ``refresh`` refetches."""


def verify_request(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
    key_lookup: KeyLookup,
    window: int = 300,
    now: float | None = None,
) -> str:
    """Verifies a request and returns the key's owner (an actor id).

    Checks run cheapest first so a stale or malformed request never triggers a key fetch.
    A signature that fails with a cached key is retried once with a refetched key (the
    sender may have rotated it).
    """
    headers = {name.lower(): value for name, value in headers.items()}
    parsed = parse(headers)
    check_components(parsed, method)
    check_freshness(parsed, headers, window, now)
    if method.upper() == "POST":
        check_digest(headers, body)
    for refresh in (False, True):
        key = key_lookup(parsed["key_id"], refresh)
        if key is None:
            continue
        try:
            owner = _bovine_verify(method, url, headers, body, key)
        except Exception as error:
            raise SignatureFormatError(f"Cannot check this signature: {error}") from error
        if owner:
            return owner
    raise SignatureVerificationError("The signature does not verify with the sender's key.")


def check_key_host(key_id: str, actor_id: str) -> None:
    """The key must live on the actor's host (host and port); checked before any key fetch."""
    if authority(key_id) != authority(actor_id):
        raise SignatureVerificationError("The signing key is not on the actor's host.")


def check_key_owner(owner: str, key_id: str, actor_id: str) -> None:
    """The key must belong to the activity's actor, on the actor's host."""
    if owner != actor_id:
        raise SignatureVerificationError("The signing key does not belong to the activity's actor.")
    check_key_host(key_id, actor_id)
