"""Federation steps on real nodes, as staff and visitors see them (docs/federation.md).

Actions go through the nodes' Wagtail admin over HTTP; "visible" means the public
federated catalogue page (``/federated/``) of the receiving node shows it. State that no
page shows (follow states, inbox messages) is read inside the node with ``Node.python``.
"""

from __future__ import annotations

import html
import statistics
import time

from .nodes import AdminSession, Node, wait_until

FOLLOW_TIMEOUT = 20
VISIBLE_TIMEOUT = 20


def follow(follower: Node, target: Node, session: AdminSession | None = None) -> None:
    """``follower``'s staff follow ``target`` by handle from the admin; waits for the Accept."""
    session = session or follower.admin()
    response = session.post_form("/admin/federation/follow/", {"target": target.handle})
    assert response.status_code < 400, f"follow form answered {response.status_code}"
    wait_until(
        lambda: following_state(follower, target) == "accepted",
        FOLLOW_TIMEOUT,
        0.1,
        f"{target.name} accepting {follower.name}'s follow",
    )


def handle_acct(node: Node) -> str:
    """``acct:name@127.0.0.1:port``, the form WebFinger and the pasture's ``send`` take."""
    return "acct:" + node.handle.removeprefix("@")


def following_state(node: Node, target: Node) -> str | None:
    return node.python(
        "from interlink_federation.models import Following\n"
        f"row = Following.objects.filter(remote_actor__uri={target.actor_url!r}).first()\n"
        "result = row.state if row else None"
    )


def following_pk(node: Node, target: Node) -> int:
    return node.python(
        "from interlink_federation.models import Following\n"
        f"result = Following.objects.get(remote_actor__uri={target.actor_url!r}).pk"
    )


def followers(node: Node) -> dict[str, str]:
    """Actor id → state of every follower of ``node``."""
    return node.python(
        "from interlink_federation.models import Follower\n"
        "result = dict(Follower.objects.values_list('remote_actor__uri', 'state'))"
    )


def catalogue_page(node: Node) -> str:
    response = node.get("/federated/")
    response.raise_for_status()
    return html.unescape(response.text)


def is_visible(node: Node, text: str) -> bool:
    return text in catalogue_page(node)


def wait_visible(node: Node, text: str, timeout: float = VISIBLE_TIMEOUT) -> float:
    """Waits until ``node``'s public catalogue shows ``text``; returns the time it did."""
    wait_until(lambda: is_visible(node, text), timeout, 0.02, f"{text!r} on {node.name}")
    return time.time()


def wait_gone(node: Node, text: str, timeout: float = VISIBLE_TIMEOUT) -> float:
    wait_until(lambda: not is_visible(node, text), timeout, 0.02, f"{text!r} gone on {node.name}")
    return time.time()


def remote_objects(node: Node) -> list[dict]:
    """The catalogue rows of ``node`` (deleted ones included), for field-level checks."""
    return node.python(
        "from interlink_federation.models import RemoteObject\n"
        "result = list(RemoteObject.objects.values("
        "'uri', 'kind', 'name', 'summary', 'url', 'deleted_at', 'actor__uri'))"
    )


def publish_to_visible(origin: Node, follower: Node, count: int, prefix: str) -> list[float]:
    """Publishes ``count`` calls on ``origin`` one after another; seconds until each was
    visible on ``follower``'s public catalogue."""
    latencies = []
    for number in range(count):
        title = f"{prefix} {number + 1} {time.monotonic_ns()}"
        published = origin.publish_call(title)
        visible = wait_visible(follower, title)
        latencies.append(visible - published["published_at"])
    return latencies


def describe_latencies(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return (
        f"publish-to-visible over {len(ordered)} publishes: p50 {statistics.median(ordered):.3f} s, "
        f"p90 {p90:.3f} s, max {ordered[-1]:.3f} s (target p50 <= 2 s)"
    )
