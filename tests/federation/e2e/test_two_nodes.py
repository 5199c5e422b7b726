"""Two real nodes on loopback: follow from the admin, publish, update, unpublish, unfollow.

Each node is a gunicorn server, a ``federation_worker`` and its own database
(tests/support/nodes.py); everything between them is real HTTP with HTTP Signatures.
"""

import pytest

from tests.support import federation as fed

# One xdist worker runs every node test: they share one node factory (a template database).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("nodes")]


@pytest.fixture(scope="module")
def pair(module_nodes):
    """City of Aurora publishes; City of Borealis follows it from its admin."""
    aurora, borealis = module_nodes("City of Aurora", "City of Borealis")
    fed.follow(borealis, aurora)
    return aurora, borealis


def test_nodes_are_separate_processes_with_their_own_databases_and_addresses(pair):
    """Ensures that the harness runs each node as its own server and worker processes, on its own port, with its own database and content."""
    aurora, borealis = pair
    assert aurora.port != borealis.port and aurora.database_url != borealis.database_url
    pids = {p.popen.pid for node in pair for p in (node.server, node.worker)}
    assert len(pids) == 4
    call = aurora.publish_call("Only on Aurora's own pages")
    assert aurora.get(call["url"].removeprefix(aurora.url)).status_code == 200
    assert "Only on Aurora" in aurora.get("/calls/").text
    assert "Only on Aurora" not in borealis.get("/calls/").text
    assert aurora.actor_document()["id"] == f"{aurora.url}/ap/actor"
    assert (
        aurora.actor_document()["publicKey"]["publicKeyPem"]
        != borealis.actor_document()["publicKey"]["publicKeyPem"]
    )


def test_follow_by_handle_from_admin_is_accepted(pair):
    """Ensures that a follow by handle from B's admin ends accepted on both sides and shows in both admins."""
    aurora, borealis = pair
    assert fed.following_state(borealis, aurora) == "accepted"
    assert fed.followers(aurora) == {borealis.actor_url: "accepted"}

    followers_page = aurora.admin().get("/admin/federation/followers/")
    assert followers_page.status_code == 200
    assert borealis.host in followers_page.text
    following_page = borealis.admin().get("/admin/federation/following/")
    assert following_page.status_code == 200
    assert aurora.host in following_page.text


def test_published_call_and_asset_travel_and_follow_their_lifecycle(pair):
    """Ensures that A's published call and asset reach B's catalogue, updates replace them, and unpublishing or deleting removes them."""
    aurora, borealis = pair
    call = aurora.publish_call(
        "Co-design the library opening hours", summary="Tell us when the libraries should open."
    )
    asset = aurora.publish_asset(
        "Library opening-hours survey kit", summary="Questions and a results template."
    )
    fed.wait_visible(borealis, call["title"])
    fed.wait_visible(borealis, asset["title"])

    rows = {row["name"]: row for row in fed.remote_objects(borealis)}
    assert rows[call["title"]]["kind"] == "call"
    assert rows[call["title"]]["actor__uri"] == aurora.actor_url
    assert rows[call["title"]]["url"] == call["url"]
    assert rows[call["title"]]["summary"] == "Tell us when the libraries should open."
    assert rows[asset["title"]]["kind"] == "asset"

    # B's public page for the remote call says where it comes from and links there.
    pk = borealis.python(
        "from interlink_federation.models import RemoteObject\n"
        f"result = RemoteObject.objects.get(uri__contains={call['uuid']!r}).pk"
    )
    detail = borealis.get(f"/federated/{pk}/")
    assert detail.status_code == 200
    assert "City of Aurora" in detail.text
    assert f'href="{call["url"]}"' in detail.text

    aurora.republish(
        call["id"],
        title="Co-design the library opening hours (extended)",
        summary="Now until June.",
    )
    fed.wait_visible(borealis, "Co-design the library opening hours (extended)")
    same_call = [row for row in fed.remote_objects(borealis) if call["uuid"] in row["uri"]]
    assert len(same_call) == 1, "an Update replaces the item, it does not add one"
    assert same_call[0]["name"] == "Co-design the library opening hours (extended)"
    assert same_call[0]["summary"] == "Now until June."

    aurora.unpublish(call["id"])
    fed.wait_gone(borealis, "Co-design the library opening hours (extended)")
    aurora.delete_page(asset["id"])
    fed.wait_gone(borealis, asset["title"])
    ours = [
        row
        for row in fed.remote_objects(borealis)
        if call["uuid"] in row["uri"] or asset["uuid"] in row["uri"]
    ]
    assert ours and all(row["deleted_at"] is not None for row in ours)


def test_publish_to_visible_latency(pair):
    """Ensures that calls published on A become visible on B quickly (p50 target 2 s) and prints the figures."""
    aurora, borealis = pair
    latencies = fed.publish_to_visible(aurora, borealis, count=5, prefix="Latency probe")
    print("\n" + fed.describe_latencies(latencies))  # noqa: T201 - the figure asked for
    assert max(latencies) < fed.VISIBLE_TIMEOUT


def test_unfollow_from_admin_shrinks_followers(pair):
    """Ensures that B's unfollow from its admin removes B from A's followers and A stops delivering to B."""
    aurora, borealis = pair
    session = borealis.admin()
    pk = fed.following_pk(borealis, aurora)
    response = session.post_form(f"/admin/federation/following/{pk}/unfollow/")
    assert response.status_code < 400

    fed.wait_until(lambda: fed.followers(aurora) == {}, 20, 0.1, "A's followers to shrink")
    assert fed.following_state(borealis, aurora) is None

    call = aurora.publish_call("Published after the unfollow")
    deliveries = aurora.python(
        "from interlink_federation.models import Delivery\n"
        f"result = Delivery.objects.filter(activity__object_uri__contains={call['uuid']!r}).count()"
    )
    assert deliveries == 0
    assert not fed.is_visible(borealis, "Published after the unfollow")
