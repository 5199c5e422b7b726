"""RFC 9421: every derived component, the RFC's own test vectors, a signature Fedify made,
round trips of ours, and what cannot be built refused before any key lookup."""

from __future__ import annotations

import base64
import json
import logging
import time
from pathlib import Path

import bovine.utils
import pytest
from bovine.crypto.types import CryptographicIdentifier
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from interlink_federation import signatures
from interlink_federation.signatures import rfc9421

ACTOR = "https://remote.example/users/town"
KEY_ID = f"{ACTOR}#main-key"
BODY = b'{"type":"Follow"}'
FEDIFY = json.loads((Path(__file__).parent / "fedify_signed_requests.json").read_text())

# RFC 9421 Appendix B.2: the test request and keys (B.1.2 test-key-rsa-pss, B.1.4
# test-key-ed25519). Published test material.
RFC_URL = "https://example.com/foo?param=Value&Pet=dog"
RFC_HEADERS = {
    "host": "example.com",
    "date": "Tue, 20 Apr 2021 02:07:55 GMT",
    "content-type": "application/json",
    "content-digest": "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
    "content-length": "18",
}
RSA_PSS_KEY = """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr4tmm3r20Wd/PbqvP1s2
+QEtvpuRaV8Yq40gjUR8y2Rjxa6dpG2GXHbPfvMs8ct+Lh1GH45x28Rw3Ry53mm+
oAXjyQ86OnDkZ5N8lYbggD4O3w6M6pAvLkhk95AndTrifbIFPNU8PPMO7OyrFAHq
gDsznjPFmTOtCEcN2Z1FpWgchwuYLPL+Wokqltd11nqqzi+bJ9cvSKADYdUAAN5W
Utzdpiy6LbTgSxP7ociU4Tn0g5I6aDZJ7A8Lzo0KSyZYoA485mqcO0GVAdVw9lq4
aOT9v6d+nb4bnNkQVklLQ3fVAvJm+xdDOp9LCNCN48V2pnDOkFV6+U9nV5oyc6XI
2wIDAQAB
-----END PUBLIC KEY-----
"""
ED25519_KEY = """-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=
-----END PUBLIC KEY-----
"""
RFC_VECTORS = {
    # B.2.1: no components at all, only the signature parameters.
    "B.2.1": (
        'sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"',
        "sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:",
        '"@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"',
    ),
    # B.2.2: @authority and a named query parameter.
    "B.2.2": (
        'sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"',
        "sig-b22=:LjbtqUbfmvjj5C5kr1Ugj4PmLYvx9wVjZvD9GsTT4F7GrcQEdJzgI9qHxICagShLRiLMlAJjtq6N4CDfKtjvuJyE5qH7KT8UCMkSowOB4+ECxCmT8rtAmj/0PIXxi0A0nxKyB09RNrCQibbUjsLS/2YyFYXEu4TRJQzRw1rLEuEfY17SARYhpTlaqwZVtR8NV7+4UKkjqpcAoFqWFQh62s7Cl+H2fjBSpqfZUJcsIk4N6wiKYd4je2U/lankenQ99PZfB4jY3I5rSV2DSBVkSFsURIjYErOs0tFTQosMTAoxk//0RoKUqiYY8Bh0aaUEb0rQl3/XaVe4bXTugEjHSw==:",
        '"@authority": example.com\n'
        '"content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n'
        '"@query-param";name="Pet": dog\n'
        '"@signature-params": ("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"',
    ),
    # B.2.3: @method, @path, @query, @authority and header fields.
    "B.2.3": (
        'sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"',
        "sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:",
        '"date": Tue, 20 Apr 2021 02:07:55 GMT\n'
        '"@method": POST\n'
        '"@path": /foo\n'
        '"@query": ?param=Value&Pet=dog\n'
        '"@authority": example.com\n'
        '"content-type": application/json\n'
        '"content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n'
        '"content-length": 18\n'
        '"@signature-params": ("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"',
    ),
    # B.2.6: ed25519 (deterministic), the algorithm told by the key.
    "B.2.6": (
        'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
        "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:",
        '"date": Tue, 20 Apr 2021 02:07:55 GMT\n'
        '"@method": POST\n'
        '"@path": /foo\n'
        '"@authority": example.com\n'
        '"content-type": application/json\n'
        '"content-length": 18\n'
        '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
    ),
}


def lookup_for(public_pem: str, owner: str = ACTOR, calls: list | None = None):
    identifier = CryptographicIdentifier.from_pem(public_pem, owner)

    def lookup(key_id, refresh):
        if calls is not None:
            calls.append(refresh)
        return identifier

    return lookup


@pytest.mark.parametrize(
    "url, component, value",
    [
        # RFC 9421 §2.2.1–2.2.7, for POST https://www.example.com/path?param=value.
        ("https://www.example.com/path?param=value", "@method", "POST"),
        (
            "https://www.example.com/path?param=value",
            "@target-uri",
            "https://www.example.com/path?param=value",
        ),
        ("https://www.example.com/path?param=value", "@authority", "www.example.com"),
        ("https://WWW.example.com:443/path", "@authority", "www.example.com"),
        ("http://127.0.0.1:8001/path", "@authority", "127.0.0.1:8001"),
        ("https://www.example.com/path?param=value", "@scheme", "https"),
        ("https://www.example.com/path?param=value", "@request-target", "/path?param=value"),
        ("https://www.example.com/path", "@request-target", "/path"),
        ("https://www.example.com/path?param=value", "@path", "/path"),
        ("https://www.example.com", "@path", "/"),
        (
            "https://www.example.com/path?param=value&foo=bar&baz=batman",
            "@query",
            "?param=value&foo=bar&baz=batman",
        ),
        ("https://www.example.com/path", "@query", "?"),
    ],
)
def test_derived_component_values(url, component, value):
    """Ensures that each derived component has the value RFC 9421 §2.2 gives for its
    example request (authority normalised: lower case, default port dropped)."""
    request = rfc9421.Request("POST", url, {})
    assert rfc9421.component_value((component, {}), request) == value


@pytest.mark.parametrize(
    "query, name, value",
    [
        # RFC 9421 §2.2.8's examples: decoded, then percent-encoded again.
        ("param=value&foo=bar&baz=batman&qux=", "baz", "batman"),
        ("param=value&foo=bar&baz=batman&qux=", "qux", ""),
        ("param=value&foo=bar&baz=batman&qux=", "param", "value"),
        (
            "var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace"
            "&fa%C3%A7ade%22%3A%20=something",
            "var",
            "this%20is%20a%20big%0Amultiline%20value",
        ),
        ("var=x&bar=with+plus+whitespace", "bar", "with%20plus%20whitespace"),
        ("fa%C3%A7ade%22%3A%20=something", "fa%C3%A7ade%22%3A%20", "something"),
    ],
)
def test_query_param_values(query, name, value):
    """Ensures that @query-param values follow RFC 9421 §2.2.8's examples."""
    request = rfc9421.Request("GET", f"https://example.com/path?{query}", {})
    assert rfc9421.component_value(("@query-param", {"name": name}), request) == value


@pytest.mark.parametrize("section", sorted(RFC_VECTORS))
def test_rfc9421_test_vectors(section):
    """Ensures that the signature base of each RFC 9421 Appendix B.2 request example is the
    RFC's, byte for byte, and that the RFC's signature verifies over it (rsa-pss-sha512 for
    the test-key-rsa-pss examples, ed25519 through bovine for B.2.6)."""
    signature_input, signature, expected_base = RFC_VECTORS[section]
    parsed = rfc9421.parse(signature_input, signature)
    request = rfc9421.Request("POST", RFC_URL, RFC_HEADERS)
    base = rfc9421.signature_base(parsed, request)
    assert base == expected_base
    if section == "B.2.6":
        key = CryptographicIdentifier.from_pem(ED25519_KEY, "test-owner")
        assert rfc9421.verify(parsed, base, key, RFC_HEADERS) == "test-owner"
        tampered = rfc9421.Request("PUT", RFC_URL, RFC_HEADERS)
        assert rfc9421.verify(parsed, rfc9421.signature_base(parsed, tampered), key, {}) is None
    else:
        key = CryptographicIdentifier.from_pem(RSA_PSS_KEY, "test-owner")
        assert rfc9421.verify(parsed, base, key, {}, algorithm="rsa-pss-sha512") == "test-owner"
        assert rfc9421.verify(parsed, base + " ", key, {}, algorithm="rsa-pss-sha512") is None


def test_fedify_rfc9421_signature_verifies(caplog):
    """Ensures that a request Fedify signed with RFC 9421 (its default components, with
    @target-uri and host) verifies, without a traceback in the log; the same signature
    presented for another URL does not."""
    headers = FEDIFY["headers"]["rfc9421"]
    signed_at = 1795424400
    lookup = lookup_for(FEDIFY["public_key_pem"], "https://fedify.example/users/alice")
    body = FEDIFY["body"].encode()
    with caplog.at_level(logging.DEBUG):
        owner = signatures.verify_request(
            "POST", FEDIFY["url"], headers, body, lookup, now=signed_at + 30
        )
    assert owner == "https://fedify.example/users/alice"
    assert not [record for record in caplog.records if record.exc_info]
    with pytest.raises(signatures.SignatureMismatch):
        signatures.verify_request(
            "POST", "https://town.example/inbox", headers, body, lookup, now=signed_at + 30
        )


def test_fedify_cavage_signature_verifies(monkeypatch):
    """Ensures that a draft-cavage request Fedify signed (it covers content-type too)
    verifies at its own time: the known-good fixed signature of an independent signer."""
    signed_at = 1795424400

    class FrozenDatetime(bovine.utils.datetime):
        @classmethod
        def now(cls, tz=None):
            return bovine.utils.datetime.fromtimestamp(signed_at + 30, tz)

    monkeypatch.setattr(bovine.utils, "datetime", FrozenDatetime)
    owner = signatures.verify_request(
        "POST",
        FEDIFY["url"],
        FEDIFY["headers"]["draft-cavage-http-signatures-12"],
        FEDIFY["body"].encode(),
        lookup_for(FEDIFY["public_key_pem"], "https://fedify.example/users/alice"),
        now=signed_at + 30,
    )
    assert owner == "https://fedify.example/users/alice"


def sign_covering(private_pem: str, url: str, components: list[str], body: bytes = BODY):
    """An RFC 9421 signature made without our signer: the base written out by hand."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    content_digest = signatures.content_digest(body)
    values = {
        "@method": "POST",
        "@target-uri": url,
        "@authority": parts.netloc,
        "@scheme": parts.scheme,
        "@request-target": parts.path + (f"?{parts.query}" if parts.query else ""),
        "@path": parts.path,
        "@query": f"?{parts.query}",
        "content-digest": content_digest,
        "host": parts.netloc,
    }
    created = int(time.time())
    params = (
        "(" + " ".join(f'"{name}"' for name in components) + f');created={created};keyid="{KEY_ID}"'
    )
    lines = [f'"{name}": {values[name]}' for name in components]
    lines.append(f'"@signature-params": {params}')
    key = serialization.load_pem_private_key(private_pem.encode(), None)
    raw = key.sign("\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
    return {
        "Host": parts.netloc,
        "Content-Digest": content_digest,
        "Signature-Input": f"sig1={params}",
        "Signature": f"sig1=:{base64.b64encode(raw).decode()}:",
    }


OTHER_QUERY = "https://town.example/ap/inbox?to=some"
OTHER_PATH = "https://town.example/ap/outbox?to=all"
OTHER_SCHEME = "http://town.example/ap/inbox?to=all"
OTHER_HOST = "https://city.example/ap/inbox?to=all"


@pytest.mark.parametrize(
    "components, changes",
    [
        (["@method", "@target-uri", "content-digest"], [OTHER_QUERY, OTHER_PATH, OTHER_SCHEME]),
        (
            ["@method", "@scheme", "@authority", "@path", "@query", "content-digest"],
            [OTHER_QUERY, OTHER_PATH, OTHER_SCHEME, OTHER_HOST],
        ),
        (["@method", "@request-target", "@authority", "content-digest"], [OTHER_QUERY, OTHER_PATH]),
        (["@method", "@path", "@authority", "content-digest"], [OTHER_PATH, OTHER_HOST]),
    ],
)
def test_every_derived_component_verifies_and_is_checked(keypair, components, changes):
    """Ensures that a POST signed over each derived component verifies, and that the same
    signature on a request differing in what those components cover is refused as a
    mismatch, without refetching the key."""
    public, private = keypair
    url = "https://town.example/ap/inbox?to=all"
    headers = sign_covering(private, url, components)
    calls: list[bool] = []
    lookup = lookup_for(public, calls=calls)
    assert signatures.verify_request("POST", url, headers, BODY, lookup) == ACTOR
    for changed in changes:
        calls.clear()
        with pytest.raises(signatures.SignatureMismatch):
            signatures.verify_request("POST", changed, headers, BODY, lookup)
        assert calls == [False]  # the key made it: no refetch


def test_round_trip_post_and_get(keypair):
    """Ensures that what our RFC 9421 signer produces verifies (POST with Content-Digest,
    GET with a query), covering @target-uri, with created, keyid and alg."""
    public, private = keypair
    key = signatures.SigningKey(KEY_ID, private)
    url = "http://127.0.0.1:8001/ap/inbox"
    headers = signatures.sign_request("POST", url, BODY, key, scheme="rfc9421")
    assert headers["Signature-Input"].startswith(
        'sig1=("@method" "@target-uri" "@authority" "date" "content-digest");created='
    )
    assert f'keyid="{KEY_ID}"' in headers["Signature-Input"]
    assert 'alg="rsa-v1_5-sha256"' in headers["Signature-Input"]
    assert "Digest" not in headers and headers["Content-Digest"].startswith("sha-256=:")
    assert signatures.verify_request("POST", url, headers, BODY, lookup_for(public)) == ACTOR
    get_url = "http://127.0.0.1:8001/ap/outbox?page=2"
    headers = signatures.sign_request("GET", get_url, None, key, scheme="rfc9421")
    assert signatures.verify_request("GET", get_url, headers, b"", lookup_for(public)) == ACTOR
    with pytest.raises(signatures.SignatureMismatch, match="over other request data"):
        signatures.verify_request(
            "GET", "http://127.0.0.1:8001/ap/outbox", headers, b"", lookup_for(public)
        )
    # A sender that leaves the query out of what it signs is told so.
    headers = signatures.sign_request(
        "GET", "http://127.0.0.1:8001/ap/outbox", None, key, scheme="rfc9421"
    )
    with pytest.raises(signatures.SignatureMismatch, match="signed without the query"):
        signatures.verify_request("GET", get_url, headers, b"", lookup_for(public))


@pytest.mark.parametrize(
    "signature_input, message",
    [
        ('sig1=("@method" "@status" "@path" "@authority" "content-digest")', "@status"),
        ('sig1=("@method" "@path" "@authority" "content-digest" "content-type";sf)', "parameters"),
        ('sig1=("@method" "@path" "@authority" "content-digest" "x-missing")', "x-missing"),
        ('sig1=("@method" "@path" "@authority" "content-digest" "@query-param";name="a")', "'a'"),
        ('sig1=("@method" "@path" "@path" "@authority" "content-digest")', "twice"),
        ('sig1=("@method" "@path" "@authority" "content-digest" "@unknown")', "@unknown"),
    ],
)
def test_what_cannot_be_built_is_a_format_error_before_key_lookup(signature_input, message):
    """Ensures that a signature covering what this request does not have or we cannot build
    is refused as a format error (400) naming it, and no key is looked up."""
    created = int(time.time())
    headers = {
        "Host": "town.example",
        "Content-Type": "application/activity+json",
        "Content-Digest": signatures.content_digest(BODY),
        "Signature-Input": f'{signature_input};created={created};keyid="{KEY_ID}"',
        "Signature": "sig1=:AAAA:",
    }
    looked_up: list = []
    with pytest.raises(signatures.SignatureFormatError, match=message) as raised:
        signatures.verify_request(
            "POST",
            "https://town.example/ap/inbox",
            headers,
            BODY,
            lambda key_id, refresh: looked_up.append(refresh),
        )
    assert raised.value.status == 400
    assert looked_up == []


def test_unsupported_algorithm_is_a_format_error(keypair):
    """Ensures that an algorithm we do not verify (hmac-sha256) is a 400 that says so."""
    public, private = keypair
    url = "https://town.example/ap/inbox"
    headers = sign_covering(private, url, ["@method", "@target-uri", "content-digest"])
    headers["Signature-Input"] = headers["Signature-Input"].replace(
        f'keyid="{KEY_ID}"', f'keyid="{KEY_ID}";alg="hmac-sha256"'
    )
    with pytest.raises(signatures.SignatureFormatError, match="hmac-sha256"):
        signatures.verify_request("POST", url, headers, BODY, lookup_for(public))
