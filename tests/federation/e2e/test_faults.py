"""Faults between real nodes: a follower that is down, a worker killed mid fan-out.

Node clocks are shortened through settings (retry base 1 s, lease 3 s, sweep every second:
tests/support/node_settings.py); the delivery logic is the production one.
"""

import signal
import time

import pytest

from tests.support import federation as fed
from tests.support.nodes import wait_until

# One xdist worker runs every node test: they share one node factory (a template database).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("nodes")]

FAULT_ENV = {"INTERLINK_NODE_LEASE_SECONDS": "3", "INTERLINK_NODE_SWEEP_INTERVAL": "1"}


@pytest.fixture(scope="module")
def trio(module_nodes):
    """City of Cedar publishes; Dunmore and Elmstead follow it."""
    cedar, dunmore, elmstead = module_nodes(
        "City of Cedar", "City of Dunmore", "City of Elmstead", extra_env=FAULT_ENV
    )
    fed.follow(dunmore, cedar)
    fed.follow(elmstead, cedar)
    return cedar, dunmore, elmstead


def delivery_states(node, call) -> dict[str, str]:
    """Inbox → state of the deliveries of the Create of ``call`` sent by ``node``."""
    return node.python(
        "from interlink_federation.models import Delivery\n"
        "result = dict(Delivery.objects.filter("
        f"activity__activity_type='Create', activity__object_uri__contains={call['uuid']!r}"
        ").values_list('inbox', 'state'))"
    )


def inbox_count(node, origin, call) -> int:
    """How many stored inbox messages of ``node`` are the Create of ``call``."""
    return node.python(
        "from interlink_federation.models import InboxMessage\n"
        "result = InboxMessage.objects.filter(activity_type='Create', "
        f"actor_uri={origin.actor_url!r}, body__object__id={object_uri(origin, call)!r}).count()"
    )


def object_uri(origin, call) -> str:
    """The ActivityStreams id of a published page (docs/federation.md: /ap/objects/<uuid>)."""
    return f"{origin.url}/ap/objects/{call['uuid']}"


def catalogue_count(node, call) -> int:
    return node.python(
        "from interlink_federation.models import RemoteObject\n"
        f"result = RemoteObject.objects.filter(uri__contains={call['uuid']!r}).count()"
    )


def inbox_posts(node, since: int) -> int:
    """POSTs to the inboxes in ``node``'s access log after byte offset ``since``."""
    text = node.server.log_path.read_bytes()[since:].decode(errors="replace")
    return sum('"POST /inbox' in line or '"POST /ap/inbox' in line for line in text.splitlines())


def test_follower_down_at_publish_receives_it_when_back(trio):
    """Ensures that a follower whose server is down when a call is published gets it after it comes back, while others get it at once."""
    cedar, dunmore, elmstead = trio
    elmstead.stop_server()
    try:
        call = cedar.publish_call("Published while Elmstead was down")
        fed.wait_visible(dunmore, call["title"])
        wait_until(
            lambda: any(
                state == "retrying" and elmstead.host in inbox
                for inbox, state in delivery_states(cedar, call).items()
            ),
            20,
            0.1,
            "Cedar's delivery to Elmstead to fail and wait for a retry",
        )
    finally:
        elmstead.start_server()
    fed.wait_visible(elmstead, call["title"], timeout=30)
    wait_until(
        lambda: set(delivery_states(cedar, call).values()) == {"delivered"}, 20, 0.1, "deliveries"
    )
    assert inbox_count(elmstead, cedar, call) == 1
    assert catalogue_count(elmstead, call) == 1


def test_worker_killed_mid_fanout_loses_nothing_and_receivers_process_once(trio):
    """Ensures that SIGKILL of the worker in the middle of a fan-out loses no delivery and that each receiver processes the resent activity once."""
    cedar, dunmore, elmstead = trio
    # Elmstead stops answering (SIGSTOP: connections queue, no reply), so Cedar's fan-out
    # hangs mid-way with both deliveries claimed while Dunmore already has the activity.
    elmstead.server.kill(signal.SIGSTOP)
    dunmore_log, elmstead_log = (
        node.server.log_path.stat().st_size for node in (dunmore, elmstead)
    )
    try:
        call = cedar.publish_call("Published during a worker crash")
        wait_until(lambda: inbox_count(dunmore, cedar, call) == 1, 20, 0.05, "Dunmore's copy")
        states = delivery_states(cedar, call)
        interrupted = {inbox for inbox, state in states.items() if state == "sending"}
        assert len(states) == 2 and any(elmstead.host in inbox for inbox in interrupted), states
        cedar.worker.kill(signal.SIGKILL)
        cedar.worker.popen.wait(timeout=5)
    finally:
        elmstead.server.kill(signal.SIGCONT)
    after_kill = delivery_states(cedar, call)
    assert all(after_kill[inbox] == "sending" for inbox in interrupted), after_kill

    cedar.start_worker()  # its recovery sweep re-queues deliveries whose lease expired
    wait_until(
        lambda: set(delivery_states(cedar, call).values()) == {"delivered"},
        30,
        0.1,
        "every delivery of the interrupted fan-out to be delivered",
    )
    fed.wait_visible(dunmore, call["title"])
    fed.wait_visible(elmstead, call["title"])
    time.sleep(1)  # let any duplicate still in flight reach the inboxes before counting

    # Dunmore already had it; when the kill left its delivery "sending", it was sent again ...
    dunmore_resent = any(dunmore.host in inbox for inbox in interrupted)
    assert inbox_posts(dunmore, dunmore_log) >= (2 if dunmore_resent else 1)
    assert inbox_posts(elmstead, elmstead_log) >= 1
    # ... and each receiving node stored and processed it once.
    for receiver in (dunmore, elmstead):
        assert inbox_count(receiver, cedar, call) == 1
        assert catalogue_count(receiver, call) == 1
