"""RFC 9421 HTTP Message Signatures: components, the signature base, verifying and signing.

bovine 0.5.19 verifies RFC 9421 signatures, but builds only ``@method``, ``@path`` and
``@authority`` (the last from the raw ``Host`` header), and logs a traceback for anything
else. So the signature base is built here, for every derived component a request can have
(RFC 9421 §2.2: ``@method``, ``@target-uri``, ``@authority``, ``@scheme``,
``@request-target``, ``@path``, ``@query``, ``@query-param``) and for header fields (§2.1),
and handed to bovine's checker, which parses the headers, asks our key lookup and verifies
the cryptography. ``rsa-pss-sha512``, which bovine cannot verify, is verified here.

A component we cannot build (``@status`` belongs to responses; field parameters such as
``;sf`` or ``;req``; a header the request does not have) is a ``SignatureFormatError``,
raised while building the base, before any key is looked up.

>>> request = Request("POST", "https://www.example.com/path?param=value", {})
>>> component_value(("@request-target", {}), request)
'/path?param=value'
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import http_sf
from bovine.crypto.http_signature import HttpSignature
from bovine.crypto.signature_checker import SignatureChecker
from bovine.crypto.types import CryptographicIdentifier
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from http_sf.innerlist import ser_innerlist
from http_sf.item import ser_item

from .base import (
    SignatureFormatError,
    SigningKey,
    authority,
    content_digest,
    http_date,
    run_sync,
)

Component = tuple[str, dict[str, Any]]
DERIVED = (
    "@method",
    "@target-uri",
    "@authority",
    "@scheme",
    "@request-target",
    "@path",
    "@query",
    "@query-param",
)
# What we cover when we sign, as Fedify does (without its redundant "host"): the request
# (method and full target URI), the authority, the date, and the body's digest.
SIGNED_COMPONENTS = ("@method", "@target-uri", "@authority", "date")
ALGORITHM = "rsa-v1_5-sha256"
LABEL = "sig1"


@dataclass(frozen=True)
class Request:
    """What components derive from: the method, the absolute target URI as the server
    received it, and the headers (lower-case names)."""

    method: str
    url: str
    headers: Mapping[str, str]


@dataclass(frozen=True)
class Parsed:
    """One RFC 9421 signature: its label, covered components, parameters and value."""

    label: str
    components: list[Component]
    params: dict[str, Any]
    signature: bytes

    @property
    def signature_params(self) -> str:
        return signature_params(self.components, self.params)


def parse(signature_input: str, signature: str) -> Parsed:
    """The one signature of a request (``Signature-Input`` and ``Signature`` headers)."""
    try:
        inputs: Any = http_sf.parse_dictionary(signature_input.encode())[1]
        values: Any = http_sf.parse_dictionary(signature.encode())[1]
    except Exception as error:  # http_sf raises ValueError, KeyError, IndexError…
        raise SignatureFormatError(f"Malformed Signature-Input or Signature: {error}") from error
    if len(inputs) != 1:
        raise SignatureFormatError("Exactly one RFC 9421 signature is supported.")
    label, (members, params) = next(iter(inputs.items()))
    if not isinstance(members, list) or "keyid" not in params:
        raise SignatureFormatError("Signature-Input lacks covered components or keyid.")
    value = values.get(label)
    if value is None or not isinstance(value[0], bytes):
        raise SignatureFormatError(f"The Signature header has no byte sequence for {label}.")
    components = [(str(name), dict(component_params)) for name, component_params in members]
    names = [ser_item(component) for component in components]
    if len(set(names)) != len(names):
        raise SignatureFormatError("The signature covers a component twice.")
    return Parsed(str(label), components, dict(params), value[0])


def signature_params(components: list[Component], params: dict[str, Any]) -> str:
    """``@signature-params``: the serialised inner list, as RFC 9421 §2.3 builds it."""
    return str(ser_innerlist((list(components), params)))


def _query_param(name: str, query: str) -> str:
    """``@query-param;name=…`` (RFC 9421 §2.2.8): decoded, then percent-encoded again."""
    found = [
        quote(value, safe="")
        for key, value in parse_qsl(query, keep_blank_values=True)
        if quote(key, safe="") == name
    ]
    if len(found) != 1:
        problem = "is not in" if not found else "occurs more than once in"
        raise SignatureFormatError(f"The covered query parameter {name!r} {problem} the query.")
    return found[0]


def component_value(component: Component, request: Request) -> str:
    """The value of one covered component for ``request`` (RFC 9421 §2.1, §2.2)."""
    name, params = component
    allowed = {"name"} if name == "@query-param" else set()
    if set(params) - allowed:
        raise SignatureFormatError(
            f"The signature covers {ser_item(component)}: component parameters other than "
            "a query parameter's name are not supported."
        )
    parts = urlsplit(request.url)
    path = parts.path or "/"
    if name == "@method":
        return request.method
    if name == "@target-uri":
        return request.url
    if name == "@authority":
        return authority(request.url)
    if name == "@scheme":
        return parts.scheme.lower()
    if name == "@request-target":
        return path + (f"?{parts.query}" if parts.query else "")
    if name == "@path":
        return path
    if name == "@query":
        return f"?{parts.query}"
    if name == "@query-param":
        if "name" not in params:
            raise SignatureFormatError("The signature covers @query-param without a name.")
        return _query_param(str(params["name"]), parts.query)
    if name.startswith("@"):
        raise SignatureFormatError(f"The signature covers {name}, which a request does not have.")
    if name != name.lower() or name not in request.headers:
        raise SignatureFormatError(
            f"The signature covers the {name} header, which the request does not have."
        )
    value = request.headers[name]
    if "\n" in value or "\r" in value:
        raise SignatureFormatError(f"The {name} header spans several lines.")
    return value.strip()


def signature_base(parsed: Parsed, request: Request) -> str:
    """The signature base (RFC 9421 §2.5): one line per covered component, then
    ``@signature-params``. Raises ``SignatureFormatError`` for what cannot be built."""
    lines = [
        f"{ser_item(component)}: {component_value(component, request)}"
        for component in parsed.components
    ]
    lines.append(f'"@signature-params": {parsed.signature_params}')
    return "\n".join(lines)


class _Base(HttpSignature):
    """A signature base built here, for bovine's verification (it asks for the message)."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def build_message_quoted(self) -> str:
        return self.base


class _Checker(SignatureChecker):
    """bovine's RFC 9421 verification (parse, key lookup, cryptography) over our base."""

    def __init__(self, key: CryptographicIdentifier, base: str) -> None:
        async def retrieve(_key_id: str) -> CryptographicIdentifier:
            return key

        super().__init__(retrieve)
        self.base = base

    def build_rfc9421_http_signature(self, *args: Any) -> HttpSignature:
        return _Base(self.base)


def _pss_sha512(key: CryptographicIdentifier, base: str, signature: bytes) -> str | None:
    public_key = key.public_key
    if not isinstance(public_key, rsa.RSAPublicKey):
        return None
    try:
        public_key.verify(
            signature,
            base.encode(),
            padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64),
            hashes.SHA512(),
        )
    except InvalidSignature:
        return None
    return key.controller


def verify(
    parsed: Parsed,
    base: str,
    key: CryptographicIdentifier,
    headers: Mapping[str, str],
    algorithm: str | None = None,
) -> str | None:
    """The key's owner if ``parsed`` is ``key``'s signature over ``base``, else ``None``.

    The algorithm is the signature's ``alg`` parameter (or ``algorithm``, for a key whose
    algorithm is known otherwise), else what the key is: ``rsa-v1_5-sha256`` for RSA (what
    the fediverse uses), ``ed25519``.
    """
    algorithm = algorithm or parsed.params.get("alg")
    if algorithm == "rsa-pss-sha512":
        return _pss_sha512(key, base, parsed.signature)
    expected = {"rsa-v1_5-sha256": rsa.RSAPublicKey, "ed25519": ed25519.Ed25519PublicKey}
    if algorithm is not None and algorithm not in expected:
        raise SignatureFormatError(f"The signature algorithm {algorithm!r} is not supported.")
    if algorithm is not None and not isinstance(key.public_key, expected[algorithm]):
        return None
    signature_headers = {
        "signature-input": f"{parsed.label}={parsed.signature_params}",
        "signature": f"{parsed.label}=:{_b64(parsed.signature)}:",
    }
    checker = _Checker(key, base)
    return run_sync(
        checker.handle_rfc9421_signature("POST", "", {**headers, **signature_headers}, _no_body)
    )


async def _no_body() -> bytes:  # the digest is checked before (signatures.check_digest)
    return b""


def _b64(value: bytes) -> str:
    return base64.standard_b64encode(value).decode()


def sign(
    method: str,
    url: str,
    body: bytes | None,
    key: SigningKey,
    created: int | None = None,
) -> dict[str, str]:
    """Headers that sign a request with RFC 9421 (``rsa-v1_5-sha256``, label ``sig1``):
    ``@method @target-uri @authority date`` and ``content-digest`` when there is a body,
    with ``created``, ``keyid`` and ``alg``."""
    created = int(time.time()) if created is None else created
    headers = {"Host": authority(url), "Date": http_date(created)}
    names = list(SIGNED_COMPONENTS)
    if body is not None:
        headers["Content-Digest"] = content_digest(body)
        names.append("content-digest")
    components: list[Component] = [(name, {}) for name in names]
    params = {"created": created, "keyid": key.key_id, "alg": ALGORITHM}
    parsed = Parsed(LABEL, components, params, b"")
    request = Request(method, url, {name.lower(): value for name, value in headers.items()})
    value = key.secret.sign(signature_base(parsed, request))
    headers["Signature-Input"] = f"{LABEL}={parsed.signature_params}"
    headers["Signature"] = f"{LABEL}=:{value}:"
    return headers


def base_digest(base: str) -> bytes:
    """SHA-256 of a signature base: what an ``rsa-v1_5-sha256`` signature carries."""
    return hashlib.sha256(base.encode()).digest()
