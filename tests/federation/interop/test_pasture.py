"""Interoperability with fediverse-pasture, an ActivityPub implementation written elsewhere.

The pasture runs from its own venv (tests/support/pasture.py) as a peer on 127.0.0.1: its
one actor requires HTTP signatures on ``GET /actor`` and on ``POST /actor/inbox``, so every
request of ours that it answers with success carried a signature it verified.
"""

import json
import re

import pytest
import requests

from tests.support import federation as fed
from tests.support.nodes import wait_until
from tests.support.pasture import INTEROP, Pasture

# One xdist worker runs every node test: they share one node factory (a template database).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("nodes")]


@pytest.fixture(scope="module")
def node(module_nodes):
    return module_nodes("City of Fennick")


@pytest.fixture(scope="module")
def pasture(node_factory):
    peer = Pasture(node_factory.workdir / "pasture")
    peer.start()
    yield peer
    peer.stop()


def inbox_messages(node, actor_url: str) -> list[dict]:
    return node.python(
        "from interlink_federation.models import InboxMessage\n"
        f"result = list(InboxMessage.objects.filter(actor_uri={actor_url!r})"
        ".values('activity_id', 'activity_type', 'body'))"
    )


def signed_actor_fetches(pasture: Pasture) -> int:
    """``GET /actor`` requests the pasture answered 200: it verified their signatures."""
    log = pasture.process.log_path.read_text(errors="replace")
    return len(re.findall(r"GET /actor 1\.1 200", log))


def test_unsigned_post_is_refused(node, pasture):
    """Ensures that an unsigned POST of an activity to our inbox is refused with 401 and stores nothing."""
    before = inbox_messages(node, pasture.actor_url)
    activity = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{pasture.actor_url}/activities/unsigned",
        "type": "Create",
        "actor": pasture.actor_url,
        "object": {"id": f"{pasture.actor_url}/objects/unsigned", "type": "Note", "content": "x"},
    }
    for path in ("/ap/inbox", "/inbox"):
        response = requests.post(
            node.url + path,
            data=json.dumps(activity),
            headers={"Content-Type": "application/activity+json"},
            timeout=10,
        )
        assert response.status_code == 401, (path, response.status_code)
    assert inbox_messages(node, pasture.actor_url) == before
    # The peer refuses unsigned requests too: its inbox checks really are switched on.
    assert requests.post(pasture.inbox_url, json=activity, timeout=10).status_code == 401


def test_pasture_send_create_is_accepted_after_signed_actor_fetch(node, pasture):
    """Ensures that the pasture's `send` Create is accepted by our inbox after our node fetched the pasture actor with a signed GET."""
    handle = fed.handle_acct(node)
    result = pasture.run(
        "-m",
        "fediverse_pasture.send",
        "--domain",
        pasture.url,
        "--replace_https",
        "--text",
        "Hello from the pasture",
        handle,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    creates = [m for m in inbox_messages(node, pasture.actor_url) if m["activity_type"] == "Create"]
    assert len(creates) == 1
    assert creates[0]["body"]["object"]["content"] == "Hello from the pasture"
    # To verify the Create our node fetched the pasture actor's key, and the pasture (which
    # requires signed GETs) answered 200: the fetch carried a signature it verified.
    assert signed_actor_fetches(pasture) >= 1
    stored_key = node.python(
        "from interlink_federation.models import RemoteActor\n"
        f"result = RemoteActor.objects.get(uri={pasture.actor_url!r}).key_id"
    )
    assert stored_key == f"{pasture.actor_url}#main"


def test_pasture_follow_is_accepted_and_our_activities_verify_there(node, pasture):
    """Ensures that a Follow signed with the pasture actor's keys is accepted, and our Accept and a following Create reach the pasture inbox, which verified our signatures."""
    result = pasture.run(
        str(INTEROP / "pasture_follow.py"), "--domain", pasture.url, node.actor_url
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sent = json.loads(result.stdout.strip().splitlines()[-1])
    assert sent["status"] == 202
    follow_id = sent["activity"]["id"]

    wait_until(
        lambda: fed.followers(node).get(pasture.actor_url) == "accepted",
        20,
        0.1,
        "the pasture as an accepted follower",
    )
    accept = pasture.wait_for(lambda activity: activity.get("type") == "Accept")
    accepted = accept["object"]
    assert (accepted.get("id") if isinstance(accepted, dict) else accepted) == follow_id
    assert accept["actor"] == node.actor_url

    call = node.publish_call("Interoperable call for the pasture")
    create = pasture.wait_for(
        lambda activity: (
            activity.get("type") == "Create" and call["uuid"] in json.dumps(activity.get("object"))
        )
    )
    assert create["actor"] == node.actor_url
    assert create["object"]["name"] == "Interoperable call for the pasture"
