"""A signature the sender's key made over other request data is told apart from a wrong
key: reported as a mismatch naming the difference, and the key is not fetched again."""

from __future__ import annotations

import base64
import hashlib

import pytest
from bovine.crypto.types import CryptographicIdentifier

from interlink_federation import signatures
from interlink_federation.signatures import mismatch

ACTOR = "https://remote.example/users/town"
KEY_ID = f"{ACTOR}#main-key"
BODY = b'{"type":"Follow"}'


def lookup_for(public_pem: str, calls: list):
    identifier = CryptographicIdentifier.from_pem(public_pem, ACTOR)
    return lambda key_id, refresh: calls.append(refresh) or identifier


@pytest.mark.parametrize("scheme", ["rfc9421", "cavage"])
def test_wrong_key_is_not_a_mismatch(keypair, other_keypair, scheme):
    """Ensures that a signature made with another key is not explained as a mismatch: the
    key is refetched once (it may have been rotated) and the request refused as unverified."""
    key = signatures.SigningKey(KEY_ID, other_keypair[1])
    url = "https://town.example/ap/inbox"
    headers = signatures.sign_request("POST", url, BODY, key, scheme=scheme)
    calls: list[bool] = []
    with pytest.raises(signatures.SignatureVerificationError) as raised:
        signatures.verify_request("POST", url, headers, BODY, lookup_for(keypair[0], calls))
    assert not isinstance(raised.value, signatures.SignatureMismatch)
    assert calls == [False, True]


def test_https_signed_but_received_as_http_names_the_proxy(keypair):
    """Ensures that a request signed for https:// but seen as http:// (a TLS-terminating
    proxy Django was not told about) is reported as that, without a refetch."""
    key = signatures.SigningKey(KEY_ID, keypair[1])
    headers = signatures.sign_request(
        "POST", "https://town.example/ap/inbox", BODY, key, scheme="rfc9421"
    )
    calls: list[bool] = []
    with pytest.raises(signatures.SignatureMismatch, match="SECURE_PROXY_SSL_HEADER") as raised:
        signatures.verify_request(
            "POST", "http://town.example/ap/inbox", headers, BODY, lookup_for(keypair[0], calls)
        )
    assert "signed for https://town.example/ap/inbox" in str(raised.value)
    assert raised.value.status == 401
    assert calls == [False]


def test_cavage_query_left_out_is_named(keypair):
    """Ensures that a draft-cavage signature whose (request-target) left out the query
    string (as bovine builds it) is reported as such, without a refetch."""
    key = signatures.SigningKey(KEY_ID, keypair[1])
    headers = signatures.sign_request("GET", "https://town.example/ap/outbox", None, key)
    calls: list[bool] = []
    with pytest.raises(signatures.SignatureMismatch, match="without the query string"):
        signatures.verify_request(
            "GET",
            "https://town.example/ap/outbox?page=2",
            headers,
            b"",
            lookup_for(keypair[0], calls),
        )
    assert calls == [False]


def test_signed_digest_only_for_the_key_that_signed(keypair, other_keypair):
    """Ensures that the digest inside an RSA signature is read only with the signer's key."""
    key = signatures.SigningKey(KEY_ID, keypair[1])
    signature = key.secret.sign("some data")
    raw = base64.standard_b64decode(signature)
    right = CryptographicIdentifier.from_pem(keypair[0], ACTOR)
    wrong = CryptographicIdentifier.from_pem(other_keypair[0], ACTOR)
    assert mismatch.signed_digest(right, raw) == hashlib.sha256(b"some data").digest()
    assert mismatch.signed_digest(wrong, raw) is None
