"""A fediverse citizen on another implementation answers a call: fediverse-pasture's actor
replies (signed with its own keys), the reply waits in the call's moderation queue, and
once staff approve it in the admin it shows on the public call page."""

import html
import json

import pytest

from tests.support.nodes import wait_until
from tests.support.pasture import INTEROP, Pasture

# One xdist worker runs every node test: they share one node factory (a template database).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("nodes")]

CONTRIBUTIONS = """
from interlink_blocks.participation.models import Contribution
result = list(Contribution.objects.filter(call__uuid={uuid!r}).values(
    'pk', 'state', 'source', 'remote_actor_url', 'remote_object_id', 'body'))
"""


@pytest.fixture(scope="module")
def node(module_nodes):
    return module_nodes("City of Glenmoor")


@pytest.fixture(scope="module")
def pasture(node_factory):
    peer = Pasture(node_factory.workdir / "pasture-reply")
    peer.start()
    yield peer
    peer.stop()


def test_pasture_reply_is_moderated_then_public(node, pasture):
    """Ensures that a signed reply from the pasture actor (which we do not follow) lands in
    the call's moderation queue, is not public until approved, and shows once staff approve
    it through the admin's bulk action."""
    call = node.publish_call("Evening opening of the libraries")
    object_id = f"{node.url}/ap/objects/{call['uuid']}"
    call_path = call["url"].removeprefix(node.url)
    text = "Please open until nine on Thursdays."
    result = pasture.run(
        str(INTEROP / "pasture_reply.py"), "--domain", pasture.url, "--text", text, object_id
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sent = json.loads(result.stdout.strip().splitlines()[-1])
    assert sent["status"] == 202
    assert sent["activity"]["object"]["inReplyTo"] == object_id

    query = CONTRIBUTIONS.format(uuid=call["uuid"])
    wait_until(lambda: node.python(query), 20, 0.1, "the reply in the moderation queue")
    [contribution] = node.python(query)
    assert contribution["state"] == "pending" and contribution["source"] == "fediverse"
    assert contribution["remote_actor_url"] == pasture.actor_url
    assert contribution["remote_object_id"] == sent["activity"]["object"]["id"]
    assert contribution["body"] == text
    assert text not in html.unescape(node.get(call_path).text)

    admin = node.admin()
    approve = f"/admin/bulk/interlink_participation/contribution/approve/?id={contribution['pk']}"
    assert admin.get(approve).status_code == 200
    response = admin.post_form(approve, allow_redirects=False)
    assert response.status_code == 302
    assert node.python(query)[0]["state"] == "approved"
    assert text in html.unescape(node.get(call_path).text)
    replies = node.get(f"/ap/objects/{call['uuid']}/replies?page=1").json()
    assert replies["orderedItems"] == [contribution["remote_object_id"]]
