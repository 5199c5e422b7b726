"""JSON from outside with a nesting limit (``interlink_blocks.safejson``) on every endpoint
that reads it: 400 before it is parsed recursively, never a RecursionError."""

import base64
import json

import pytest

from interlink_blocks import safejson

DEEP = "[" * 5000 + "]" * 5000


def test_depth_counts_structure_not_brackets_in_strings():
    """Ensures that brackets and escaped quotes inside strings are not counted, and that
    the first level past the limit is refused."""
    assert safejson.loads('{"a": "[[[[\\"{{{{", "b": [[1]]}', limit=3) == {
        "a": '[[[["{{{{',
        "b": [[1]],
    }
    safejson.check_depth("[" * 4 + "]" * 4, limit=4)
    with pytest.raises(safejson.TooDeep):
        safejson.check_depth("[" * 5 + "]" * 5, limit=4)
    with pytest.raises(safejson.TooDeep):
        safejson.loads(DEEP)
    with pytest.raises(ValueError):
        safejson.loads("{not json")


def test_the_api_refuses_deep_and_oversized_json(client, make_call, settings):
    """Ensures that the REST API answers a deeply nested JSON body with 400, and a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE with 400 or 413 (Django's or the parser's bound, whichever
    reads it first), storing nothing."""
    from interlink_blocks.participation.models import Contribution

    call = make_call(contact_email="team@example.org")
    url = f"/api/v1/calls/{call.pk}/contributions/"
    deep = client.post(url, data=DEEP, content_type="application/json")
    assert deep.status_code == 400
    assert "deeper than 64" in deep.json()["detail"]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"body": "x" * 2000, "email": "a@example.org"})
    assert client.post(url, data=body, content_type="application/json").status_code in (400, 413)
    assert not Contribution.objects.exists()


def test_a_deep_search_cursor_is_400(client, db):
    """Ensures that a search cursor hiding deeply nested JSON is refused as malformed."""
    cursor = base64.urlsafe_b64encode(("[" * 3000 + "]" * 3000).encode()).decode()
    assert client.get("/api/v1/discover/", {"after": cursor}).status_code == 400


def test_a_deep_remote_document_is_a_fetch_error():
    """Ensures that a fetched document nested without end is a FetchError, not a crash."""
    from interlink_federation.client import FetchError, Response

    response = Response(status=200, url="https://remote.example/actor", body=DEEP.encode())
    with pytest.raises(FetchError):
        response.json()
