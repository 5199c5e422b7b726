"""Telling a request that differs from what was signed apart from a wrong key.

An RSA PKCS#1 v1.5 signature (draft-cavage ``rsa-sha256``, RFC 9421 ``rsa-v1_5-sha256``:
all the fediverse uses) carries the SHA-256 digest of what was signed, readable with the
public key. If the sender's key opens it into a well-formed digest, the key made it (with
any other key the padding comes out as noise), so the key is right and the signed data
differs from the request as received: a refetch of the key cannot help. Rebuilding the
signed data for the usual culprits (a TLS-terminating proxy that hides ``https``, a query
string left out, a lower-case method) then names the difference.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

from bovine.crypto.types import CryptographicIdentifier
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .base import SignatureFormatError

BaseBuilder = Callable[[str, str], str]
"""``build(method, url)`` → the signature base the request would have with those values."""


def signed_digest(key: CryptographicIdentifier, signature: bytes) -> bytes | None:
    """The SHA-256 digest inside ``signature`` if ``key`` made it (RSA PKCS#1 v1.5), else
    ``None``; also ``None`` for other key types, where it cannot be told."""
    if not isinstance(key.public_key, rsa.RSAPublicKey):
        return None
    try:
        return key.public_key.recover_data_from_signature(
            signature, padding.PKCS1v15(), hashes.SHA256()
        )
    except (InvalidSignature, ValueError):
        return None


def _variants(method: str, url: str) -> Iterator[tuple[str, str, str]]:
    parts = urlsplit(url)
    other_scheme = "http" if parts.scheme == "https" else "https"
    flipped = urlunsplit(parts._replace(scheme=other_scheme))
    yield (
        method,
        flipped,
        f"it was signed for {flipped} but arrived as {url} (behind a TLS-terminating proxy, "
        "tell Django the original scheme with SECURE_PROXY_SSL_HEADER)",
    )
    if parts.query:
        yield (
            method,
            urlunsplit(parts._replace(query="")),
            "it was signed without the query string",
        )
    if method != method.lower():
        yield method.lower(), url, "it was signed with a lower-case method"


def explain(
    key: CryptographicIdentifier,
    signature: bytes,
    build: BaseBuilder,
    method: str,
    url: str,
    covered: list[str],
) -> str | None:
    """Why the sender's own signature does not match the request; ``None`` when the key
    did not make the signature (or its type cannot tell): then the key may have changed."""
    carried = signed_digest(key, signature)
    if carried is None:
        return None
    prefix = "The signature is the sender's key's, but over other request data"
    for variant_method, variant_url, description in _variants(method, url):
        try:
            base = build(variant_method, variant_url)
        except SignatureFormatError:
            continue
        if hashlib.sha256(base.encode()).digest() == carried:
            return f"{prefix}: {description}."
    return (
        f"{prefix} than {method} {url} as received (covered: {' '.join(covered)}); "
        "a proxy may have changed one of them."
    )
