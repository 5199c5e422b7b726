"""Signatures: round trip, a known-good fixed signature, RFC 9421, freshness and key binding."""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime

import bovine.utils
import pytest
from bovine.crypto.http_signature import HttpSignature
from bovine.crypto.types import CryptographicIdentifier
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from interlink_federation import signatures

ACTOR = "https://remote.example/users/town"
KEY_ID = f"{ACTOR}#main-key"
URL = "http://testserver/ap/inbox"
BODY = b'{"type":"Note"}'

# Produced once by sign_request(); RSA PKCS#1 v1.5 is deterministic, so this never changes.
FIXED_PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzdqkVvTz0NOa0mzfvLVe\nPSN/xx6B2/YoyQ1RcpzFxGpXty3sw4u2ZIVhRoBOPTNyQyCUGJJvUjnhStL5cQzF\nCCXuEg2fYgL0eO7KPUmZaGhHLOCFgDLE4JdehAnKlC9Ftvo7FSdEGZbB9MQXAwoj\n3fd0PVdQMEteGmKPUctdnxF9RwuFmkfL4Gq796Zri7AxSQ1ahVJTL1AVSfs6B9Cb\nicAYELfYeBAh8/mKjLFW0Twg7TrpJNHIU8dUETwOf7xqw7eYzY1GcOh7oCWYJecE\njBG83J2lw4WK3e3HCV+kiPWk747OCLS9LJDglcbtUPVUSb/HzH12OE/OPjknLATV\ntQIDAQAB\n-----END PUBLIC KEY-----\n"
FIXED_HEADERS = {
    "Host": "testserver",
    "Date": "Mon, 23 Nov 2026 09:00:00 GMT",
    "Digest": "SHA-256=t0d2QE1+7lnf8UwfKXVHT7KFCbXZXzWmFt1oX4Vh4BI=",
    "Signature": 'keyId="https://remote.example/users/town#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="gJ5lKgVci285bB/G5/OS2sRcJgeyLMAKDiduH8KfzkPVrVMSupqwmpJhG1GjETvSrjpiMZ9iZ7biv+9T+IZVPOQ8I1Sq5urKr4e5lNllRp2EjGE8M0okpyAqQVNy4Z8B+Y8VKtmNS4pqWwNDqRXLuB5Tp1Y+VXaqBONL0gW2OOwDjShMRWXiqomYqid+eOY20co5eiyvpxXQJaBVbdKbTK9DkhFfI9ypr/C6PREdMfLCHjHkeHY0DsshQ2Qb4w6+YkM7CL8l5V/k7ou4cAwUDkcZ5GmcDQ37J5GmGHSjaUkvpjfJkBBZ/kfT95/P3rWJuJ5IoXcegX8MxNQjiyxY+A=="',
}


def lookup_for(public_pem: str, owner: str = ACTOR):
    identifier = CryptographicIdentifier.from_pem(public_pem, owner)
    return lambda key_id, refresh: identifier if key_id == KEY_ID else None


def test_digest_known_value():
    """Ensures that the Digest header is SHA-256 in base64 with the SHA-256= prefix."""
    assert signatures.digest(b"moo") == "SHA-256=R9+ukoir89XSJSq/sL1qyWYmN9ZG5t+dXSdLwzbierw="


def test_round_trip(keypair):
    """Ensures that a request we sign verifies and yields the key's owner."""
    public, private = keypair
    headers = signatures.sign_request("POST", URL, BODY, signatures.SigningKey(KEY_ID, private))
    assert 'headers="(request-target) host date digest"' in headers["Signature"]
    assert signatures.verify_request("POST", URL, headers, BODY, lookup_for(public)) == ACTOR


def test_known_good_fixed_signature(monkeypatch):
    """Ensures that a fixed, known-good draft-cavage signature verifies at its own time."""
    signed_at = datetime(2026, 11, 23, 9, 0, 30, tzinfo=UTC)

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return signed_at

    monkeypatch.setattr(bovine.utils, "datetime", FrozenDatetime)
    owner = signatures.verify_request(
        "POST", URL, FIXED_HEADERS, BODY, lookup_for(FIXED_PUBLIC_KEY), now=signed_at.timestamp()
    )
    assert owner == ACTOR


def test_tampered_body_refused(keypair):
    """Ensures that a body that no longer matches its digest is refused with 401."""
    public, private = keypair
    headers = signatures.sign_request("POST", URL, BODY, signatures.SigningKey(KEY_ID, private))
    with pytest.raises(signatures.SignatureVerificationError):
        signatures.verify_request("POST", URL, headers, b'{"type":"Evil"}', lookup_for(public))


def test_query_string_is_signed(keypair):
    """Ensures that (request-target) covers the query string (bovine ignores it)."""
    public, private = keypair
    key = signatures.SigningKey(KEY_ID, private)
    headers = signatures.sign_request("GET", "http://testserver/ap/outbox?page=1", None, key)
    assert (
        signatures.verify_request(
            "GET", "http://testserver/ap/outbox?page=1", headers, b"", lookup_for(public)
        )
        == ACTOR
    )
    with pytest.raises(signatures.SignatureVerificationError):
        signatures.verify_request(
            "GET", "http://testserver/ap/outbox?page=2", headers, b"", lookup_for(public)
        )


def test_wrong_key_refused_after_one_refetch(keypair, other_keypair):
    """Ensures that a failing key is refetched exactly once before refusing."""
    public, private = keypair
    headers = signatures.sign_request("POST", URL, BODY, signatures.SigningKey(KEY_ID, private))
    calls = []
    wrong = CryptographicIdentifier.from_pem(other_keypair[0], ACTOR)
    right = CryptographicIdentifier.from_pem(public, ACTOR)

    def rotating(key_id, refresh):
        calls.append(refresh)
        return right if refresh else wrong

    assert signatures.verify_request("POST", URL, headers, BODY, rotating) == ACTOR
    assert calls == [False, True]
    calls.clear()
    with pytest.raises(signatures.SignatureVerificationError):
        signatures.verify_request(
            "POST", URL, headers, BODY, lambda key_id, refresh: calls.append(refresh) or wrong
        )
    assert calls == [False, True]


def test_stale_date_refused_before_key_lookup(keypair):
    """Ensures that a Date outside the window is refused without fetching any key."""
    public, private = keypair
    old = signatures.http_date(time.time() - 3600)
    headers = signatures.sign_request(
        "POST", URL, BODY, signatures.SigningKey(KEY_ID, private), date=old
    )
    looked_up = []
    with pytest.raises(signatures.SignatureVerificationError):
        signatures.verify_request(
            "POST", URL, headers, BODY, lambda key_id, refresh: looked_up.append(key_id)
        )
    assert looked_up == []


@pytest.mark.parametrize(
    "headers, error",
    [
        (
            {
                "Signature": 'keyId="k",headers="(request-target) host date",signature="AA=="',
                "Date": "now",
            },
            signatures.SignatureFormatError,
        ),
        (
            {
                "Signature": 'keyId="k",algorithm="rsa-sha256",headers="host date digest",signature="AA=="'
            },
            signatures.SignatureFormatError,
        ),
        (
            {
                "Signature": 'keyId="k",algorithm="hmac-sha1",headers="(request-target) host date digest",signature="AA=="'
            },
            signatures.SignatureFormatError,
        ),
    ],
)
def test_malformed_signatures_are_format_errors(headers, error):
    """Ensures that missing or malformed signature headers are 400-class errors."""
    with pytest.raises(error) as raised:
        signatures.verify_request("POST", URL, headers, BODY, lambda key_id, refresh: None)
    assert raised.value.status == 400


def test_unsigned_is_401():
    """Ensures that a request without any signature is a 401."""
    with pytest.raises(signatures.SignatureMissing) as raised:
        signatures.verify_request("POST", URL, {}, BODY, lambda key_id, refresh: None)
    assert raised.value.status == 401


def test_post_without_digest_coverage_refused(keypair):
    """Ensures that a POST signature not covering the digest is refused."""
    public, private = keypair
    signature = (
        HttpSignature()
        .with_field("(request-target)", "post /ap/inbox")
        .with_field("host", "testserver")
    )
    date = signatures.http_date()
    signature.with_field("date", date)
    header = signature.sign_for_http_draft(signatures.SigningKey(KEY_ID, private).secret)
    headers = {
        "Host": "testserver",
        "Date": date,
        "Digest": signatures.digest(BODY),
        "Signature": header,
    }
    with pytest.raises(signatures.SignatureFormatError):
        signatures.verify_request("POST", URL, headers, BODY, lookup_for(public))


def rfc9421_headers(
    private_pem: str, created: int, expires: int | None = None, body: bytes = BODY
) -> dict[str, str]:
    """Builds an RFC 9421 signature (rsa-v1_5-sha256) the way Mastodon 4.5 does."""
    content_digest = (
        "sha-256=:" + base64.b64encode(__import__("hashlib").sha256(body).digest()).decode() + ":"
    )
    params = f'("@method" "@path" "@authority" "content-digest");created={created}'
    if expires is not None:
        params += f";expires={expires}"
    params += f';keyid="{KEY_ID}"'
    message = HttpSignature()
    message.with_field("@method", "POST").with_field("@path", "/ap/inbox").with_field(
        "@authority", "testserver"
    )
    message.with_field("content-digest", content_digest).with_field("@signature-params", params)
    key = serialization.load_pem_private_key(private_pem.encode(), None)
    raw = key.sign(message.build_message_quoted().encode(), padding.PKCS1v15(), hashes.SHA256())
    return {
        "Host": "testserver",
        "Content-Digest": content_digest,
        "Signature-Input": f"sig1={params}",
        "Signature": f"sig1=:{base64.b64encode(raw).decode()}:",
    }


def test_rfc9421_verifies_through_bovine(keypair):
    """Ensures that an RFC 9421 signature verifies (through bovine's verifier)."""
    public, private = keypair
    headers = rfc9421_headers(private, int(time.time()))
    assert signatures.verify_request("POST", URL, headers, BODY, lookup_for(public)) == ACTOR


def test_rfc9421_stale_created_refused(keypair):
    """Ensures that RFC 9421 'created' outside the window is refused (bovine does not check it)."""
    public, private = keypair
    headers = rfc9421_headers(private, int(time.time()) - 3600)
    with pytest.raises(signatures.SignatureVerificationError):
        signatures.verify_request("POST", URL, headers, BODY, lookup_for(public))


def test_rfc9421_expired_refused(keypair):
    """Ensures that an RFC 9421 signature past its 'expires' is refused."""
    public, private = keypair
    now = int(time.time())
    headers = rfc9421_headers(private, now - 60, expires=now - 1)
    with pytest.raises(signatures.SignatureVerificationError):
        signatures.verify_request("POST", URL, headers, BODY, lookup_for(public))


def test_rfc9421_tampered_refused(keypair):
    """Ensures that an RFC 9421 signature over another body is refused."""
    public, private = keypair
    headers = rfc9421_headers(private, int(time.time()))
    with pytest.raises(signatures.SignatureVerificationError):
        signatures.verify_request("POST", URL, headers, b'{"x":1}', lookup_for(public))


def test_key_owner_bound_to_actor_and_host():
    """Ensures that the key must be the activity actor's and on the actor's host."""
    signatures.check_key_owner(ACTOR, KEY_ID, ACTOR)
    with pytest.raises(signatures.SignatureVerificationError):
        signatures.check_key_owner("https://remote.example/users/other", KEY_ID, ACTOR)
    with pytest.raises(signatures.SignatureVerificationError):
        signatures.check_key_owner(ACTOR, "https://evil.example/key#main-key", ACTOR)


def parsed(
    scheme: str, fields: list[str], created: int | None = None
) -> signatures.ParsedSignature:
    return signatures.ParsedSignature(
        scheme=scheme, key_id=KEY_ID, fields=fields, created=created, expires=None
    )


RFC9421_FIELDS = ["@method", "@path", "@authority", "content-digest"]


def test_rfc9421_requires_created_or_a_covered_date():
    """Ensures that an RFC 9421 signature without created and without a covered date is a
    format error, and that either one is enough."""
    with pytest.raises(signatures.SignatureFormatError):
        signatures.check_components(parsed("rfc9421", RFC9421_FIELDS), "POST")
    signatures.check_components(parsed("rfc9421", RFC9421_FIELDS, int(time.time())), "POST")
    signatures.check_components(parsed("rfc9421", [*RFC9421_FIELDS, "date"]), "POST")


def test_uncovered_date_header_is_not_evidence_of_freshness():
    """Ensures that a Date header the signature does not cover is ignored: fresh, it cannot
    stand in for created; stale, it does not refuse a fresh created."""
    now = time.time()
    fresh_date = {"date": signatures.http_date(now)}
    with pytest.raises(signatures.SignatureFormatError):
        signatures.check_freshness(parsed("rfc9421", RFC9421_FIELDS), fresh_date, 300, now)
    stale_date = {"date": signatures.http_date(now - 3600)}
    signatures.check_freshness(parsed("rfc9421", RFC9421_FIELDS, int(now)), stale_date, 300, now)
    with pytest.raises(signatures.SignatureVerificationError):
        signatures.check_freshness(
            parsed("rfc9421", [*RFC9421_FIELDS, "date"]), stale_date, 300, now
        )
    with pytest.raises(signatures.SignatureFormatError):
        signatures.check_freshness(parsed("cavage", ["(request-target)", "date"]), {}, 300, now)


def test_authority_compares_host_and_port():
    """Ensures that the host comparison keeps non-default ports and drops default ones."""
    assert signatures.authority("https://Town.example:443/a") == "town.example"
    assert signatures.authority("http://town.example:80/a") == "town.example"
    assert signatures.authority("http://127.0.0.1:8001/") != signatures.authority(
        "http://127.0.0.1:8002/"
    )
    with pytest.raises(signatures.SignatureVerificationError):
        signatures.check_key_host("http://127.0.0.1:8002/a#k", "http://127.0.0.1:8001/a")
