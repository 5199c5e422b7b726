"""Hostile paging parameters (#19 item 4): a huge, negative or malformed page, size, offset,
limit or cursor answers 400 or 404 on every collection and API, never a 500."""

import pytest

from interlink_federation.actors import get_local_actor

HUGE = "9" * 40
BAD_VALUES = [HUGE, "99999999999999999999", "-1", "0", "abc", "1e3", "1.5", "9" * 5000, "%00"]


@pytest.fixture
def node(home, make_call, make_asset, story_index, settings):
    """Ensures a site with a public call, an asset and a local actor on ``testserver``."""
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "testserver", 80
    site.save()
    get_local_actor(site)
    return {"call": make_call(), "asset": make_asset()}


def urls(node) -> list[tuple[str, str]]:
    call = node["call"]
    return [
        ("/ap/outbox", "page"),
        ("/ap/followers", "page"),
        ("/ap/following", "page"),
        (f"/ap/objects/{call.uuid}/replies", "page"),
        ("/federated/", "page"),
        ("/api/v1/calls/", "offset"),
        ("/api/v1/calls/", "limit"),
        ("/api/v1/assets/", "offset"),
        ("/api/v1/stories/", "offset"),
        (f"/api/v1/calls/{call.pk}/contributions/", "offset"),
        (f"/api/v1/calls/{call.pk}/contributions/", "limit"),
        ("/api/v1/discover/", "size"),
        ("/api/v1/discover/", "after"),
        ("/discover/", "size"),
        ("/discover/", "after"),
        ("/api/v2/pages/", "offset"),
        ("/api/v2/pages/", "limit"),
        ("/api/v2/calls/", "offset"),
        ("/api/v2/images/", "offset"),
        ("/api/v2/documents/", "offset"),
        (call.get_parent().url, "page"),
    ]


def test_no_paging_parameter_reaches_a_server_error(client, node):
    """Ensures that every collection and API answers a hostile paging parameter with a
    4xx or a normal page, never a 5xx."""
    client.raise_request_exception = False
    failures = []
    for path, name in urls(node):
        for value in BAD_VALUES:
            response = client.get(path, {name: value}, HTTP_ACCEPT="application/activity+json")
            if response.status_code >= 500:
                failures.append((path, name, value[:20], response.status_code))
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("path", ["/ap/outbox", "/ap/followers", "/ap/following"])
def test_collections_refuse_pages_out_of_range(client, node, path):
    """Ensures that ActivityPub collection pages past the last answer 404, and that a page
    below 1 or not a number answers 400 (both once 500 or a clamped page)."""
    headers = {"HTTP_ACCEPT": "application/activity+json"}
    assert client.get(path, {"page": "1"}, **headers).status_code == 200
    assert client.get(path, {"page": HUGE}, **headers).status_code == 404
    assert client.get(path, {"page": "2"}, **headers).status_code == 404
    assert client.get(path, {"page": "0"}, **headers).status_code == 400
    assert client.get(path, {"page": "-3"}, **headers).status_code == 400
    assert client.get(path, {"page": "two"}, **headers).status_code == 400
