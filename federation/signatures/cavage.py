"""draft-cavage HTTP Signatures (``rsa-sha256``), the scheme most of the fediverse speaks:
signing and verification are bovine's; this module adds the query string to
``(request-target)`` (bovine drops it) and refuses, before any key lookup, a signature
covering a header the request does not have (bovine would log a traceback and fail it
as if the key were wrong)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from bovine.crypto.http_signature import HttpSignature
from bovine.crypto.signature import Signature
from bovine.crypto.signature_checker import SignatureChecker
from bovine.crypto.types import CryptographicIdentifier

from .base import SignatureFormatError, SigningKey, authority, digest, http_date, run_sync

PSEUDO_HEADERS = {"(request-target)", "(created)", "(expires)"}


def request_target(method: str, url: str) -> str:
    """``(request-target)``: lower-case method, path and query (bovine drops the query).

    >>> request_target("GET", "https://town.example/ap/outbox?page=2")
    'get /ap/outbox?page=2'
    """
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return f"{method.lower()} {path}"


def sign(
    method: str, url: str, body: bytes | None, key: SigningKey, date: str | None = None
) -> dict[str, str]:
    """Headers that sign a request: ``rsa-sha256`` over ``(request-target) host date`` plus
    ``digest`` when there is a body (what Mastodon sends and expects)."""
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


def parse(header: str) -> Signature:
    try:
        return Signature.from_signature_header(header)
    except (KeyError, ValueError, IndexError) as error:
        raise SignatureFormatError(f"Malformed Signature header: {error}") from error


def check_covered_headers(fields: list[str], headers: Mapping[str, str]) -> None:
    for name in fields:
        if name.startswith("(") and name not in PSEUDO_HEADERS:
            raise SignatureFormatError(f"The signature covers {name}, which is not supported.")
        if not name.startswith("(") and name not in headers:
            raise SignatureFormatError(
                f"The signature covers the {name} header, which the request does not have."
            )


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


def signature_base(method: str, url: str, headers: dict[str, str]) -> str:
    """The signed string, as the checker builds it (for explaining a mismatch)."""
    parsed = parse(headers["signature"])
    checker = _QueryAwareChecker(_no_key)
    fields = [field.lower() for field in parsed.fields]
    return str(checker.build_http_signature(fields, method, url, parsed, headers).build_message())


def verify(
    method: str, url: str, headers: dict[str, str], body: bytes, key: CryptographicIdentifier
) -> str | None:
    """The key's owner if the request's draft-cavage signature is ``key``'s, else ``None``."""

    async def retrieve(_key_id: str) -> CryptographicIdentifier:
        return key

    async def read_body() -> bytes:
        return body

    checker = _QueryAwareChecker(retrieve)
    return run_sync(checker.validate_signature(method, url, headers, read_body))


async def _no_key(_key_id: str) -> None:
    return None
