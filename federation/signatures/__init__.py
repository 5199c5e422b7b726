"""HTTP Signatures, both schemes: draft-cavage (``rsa-sha256``) and RFC 9421 HTTP Message
Signatures, for signing and for verifying.

No database access here: the key lookup is injected as a callable, like bovine's
``key_retriever``. bovine verifies the cryptography of both schemes and all of
draft-cavage (``cavage``); the RFC 9421 signature base is built in ``rfc9421`` for every
derived component, since bovine 0.5.19 cannot. This package closes the gaps FACTS.md lists:
freshness of ``created``/``expires`` (both kinds), the query string in
``(request-target)``, required covered components, and binding the key to its owner.

Errors: ``SignatureFormatError`` (→ 400) for missing or malformed parts and for anything a
signature covers that the request does not have, ``SignatureVerificationError`` (→ 401)
for anything that does not verify. ``SignatureMismatch`` (→ 401) says that the sender's
key made the signature over other request data (``mismatch``), which a refetched key cannot
change: the key-refetch allowance is not spent on it.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any, Literal, NotRequired, TypedDict

from bovine.crypto.signature_checker import SignatureChecker
from bovine.crypto.types import CryptographicIdentifier

from . import cavage, mismatch, rfc9421
from .base import (
    SignatureError,
    SignatureFormatError,
    SignatureMismatch,
    SignatureMissing,
    SignatureVerificationError,
    SigningKey,
    authority,
    content_digest,
    digest,
    http_date,
    identifier_from_pem,
)
from .cavage import request_target

__all__ = [
    "SCHEMES",
    "ParsedSignature",
    "Scheme",
    "SignatureError",
    "SignatureFormatError",
    "SignatureMismatch",
    "SignatureMissing",
    "SignatureVerificationError",
    "SigningKey",
    "authority",
    "content_digest",
    "digest",
    "http_date",
    "identifier_from_pem",
    "other_scheme",
    "request_target",
    "sign_request",
    "verify_request",
]

Scheme = Literal["cavage", "rfc9421"]
SCHEMES: tuple[Scheme, ...] = ("rfc9421", "cavage")


class ParsedSignature(TypedDict):
    scheme: Scheme
    key_id: str
    fields: list[str]
    created: int | None
    expires: int | None
    rfc9421: NotRequired[rfc9421.Parsed]


def other_scheme(scheme: Scheme) -> Scheme:
    """The scheme to knock with when ``scheme`` was refused.

    >>> other_scheme("rfc9421")
    'cavage'
    """
    return "cavage" if scheme == "rfc9421" else "rfc9421"


def sign_request(
    method: str,
    url: str,
    body: bytes | None,
    key: SigningKey,
    date: str | None = None,
    scheme: Scheme = "cavage",
) -> dict[str, str]:
    """Headers that sign a request: draft-cavage (``cavage.sign``) or RFC 9421
    (``rfc9421.sign``)."""
    if scheme == "rfc9421":
        return rfc9421.sign(method, url, body, key)
    return cavage.sign(method, url, body, key, date)


def parse(headers: dict[str, str]) -> ParsedSignature:
    """Parses either signature kind; ``headers`` has lower-case names."""
    if "signature" not in headers:
        raise SignatureMissing("The request is not signed (no Signature header).")
    if "signature-input" in headers:
        parsed = rfc9421.parse(headers["signature-input"], headers["signature"])
        return ParsedSignature(
            scheme="rfc9421",
            key_id=str(parsed.params["keyid"]),
            fields=[name for name, _params in parsed.components],
            created=_int_or_none(parsed.params.get("created")),
            expires=_int_or_none(parsed.params.get("expires")),
            rfc9421=parsed,
        )
    signature = cavage.parse(headers["signature"])
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
    In RFC 9421, ``@target-uri`` names the path and the authority, ``@request-target`` the
    path.
    """
    fields = set(parsed["fields"])
    if parsed["scheme"] == "cavage":
        required = [{"(request-target)"}, {"host"}, {"date", "(created)"}]
    else:
        required = [
            {"@method"},
            {"@path", "@target-uri", "@request-target"},
            {"@authority", "host", "@target-uri"},
        ]
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


class _Verifier:
    """One request's signature: its base is built once, before any key is looked up, so a
    component the request cannot have is a format error that costs no key fetch."""

    def __init__(self, parsed: ParsedSignature, method: str, url: str, headers: dict[str, str]):
        self.parsed, self.method, self.url, self.headers = parsed, method, url, headers
        if parsed["scheme"] == "rfc9421":
            self.signature = parsed["rfc9421"].signature
        else:
            cavage.check_covered_headers(parsed["fields"], headers)
            self.signature = _decode(cavage.parse(headers["signature"]).signature)
        self.build(method, url)

    def build(self, method: str, url: str) -> str:
        if self.parsed["scheme"] == "rfc9421":
            request = rfc9421.Request(method, url, self.headers)
            return rfc9421.signature_base(self.parsed["rfc9421"], request)
        return cavage.signature_base(method, url, self.headers)

    def verify(self, key: CryptographicIdentifier, body: bytes) -> str | None:
        try:
            if self.parsed["scheme"] == "rfc9421":
                base = self.build(self.method, self.url)
                return rfc9421.verify(self.parsed["rfc9421"], base, key, self.headers)
            return cavage.verify(self.method, self.url, self.headers, body, key)
        except SignatureError:
            raise
        except Exception as error:  # a key or signature bovine cannot read
            raise SignatureFormatError(f"Cannot check this signature: {error}") from error

    def explain(self, key: CryptographicIdentifier) -> str | None:
        return mismatch.explain(
            key, self.signature, self.build, self.method, self.url, self.parsed["fields"]
        )


def _decode(value: str) -> bytes:
    try:
        return base64.standard_b64decode(value)
    except (binascii.Error, ValueError) as error:
        raise SignatureFormatError("The signature is not base64.") from error


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

    ``url`` is the absolute target URI as this server received it. Checks run cheapest
    first so a stale or malformed request never triggers a key fetch. A signature that
    fails with a cached key is retried once with a refetched key (the sender may have
    rotated it), unless the key demonstrably made it over other request data.
    """
    headers = {name.lower(): value for name, value in headers.items()}
    parsed = parse(headers)
    check_components(parsed, method)
    check_freshness(parsed, headers, window, now)
    if method.upper() == "POST":
        check_digest(headers, body)
    verifier = _Verifier(parsed, method, url, headers)
    for refresh in (False, True):
        key = key_lookup(parsed["key_id"], refresh)
        if key is None:
            continue
        owner = verifier.verify(key, body)
        if owner:
            return owner
        explanation = verifier.explain(key)
        if explanation:
            raise SignatureMismatch(explanation)
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
