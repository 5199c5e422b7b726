"""Limits that hold across processes and machines (#19 item 5): one node served by two
gunicorn servers of two workers each — four processes, as two machines behind a proxy
would be — sharing production's cache (the database's table, or Redis with REDIS_URL)."""

from __future__ import annotations

import os
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.processes import LOOPBACK, Process, free_port, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("nodes")]

# Tests use a Redis database of their own, and a key prefix per run, so that parallel runs
# and other users of the machine's Redis never meet (no test clears it).
REDIS_URL = os.environ.get("INTERLINK_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
SUBMISSIONS = 30
LIMIT = 20  # PARTICIPATION_RATE_LIMITS["ip"]: 20 per hour and address, the default


@pytest.fixture
def second_server(request):
    """Starts another gunicorn (two sync workers) for a node, as a second machine would run."""
    started: list[Process] = []

    def start(node) -> str:
        port = free_port()
        server = Process(
            "second-server",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "interlink_site.wsgi:application",
                "--bind",
                f"{LOOPBACK}:{port}",
                "--workers",
                "2",
                "--no-control-socket",
            ],
            node.env,
            node.workdir / "second-server.log",
        )
        server.start()
        started.append(server)
        url = f"http://{LOOPBACK}:{port}"
        wait_until(lambda: requests.get(f"{url}/api/v1/calls/", timeout=10).ok, 120, 0.2, url)
        return url

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the tests' Redis database, emptied afterwards."""
    import redis

    prefix = f"e2e-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.mark.parametrize("cache", ["database", "redis"])
def test_a_submission_limit_holds_across_servers_and_workers(
    nodes, second_server, cache, redis_prefix
):
    """Ensures that 30 contributions from one address, sent in parallel to four web
    processes on two servers, get exactly the 20 the hourly limit allows: every process
    counts in the one shared cache (with per-process memory caches, each process granted
    20 of its own)."""
    extra = {"INTERLINK_NODE_WEB_WORKERS": "2"}
    if cache == "redis":
        extra.update(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=redis_prefix)
    node = nodes(f"City of Quota {cache.title()}", extra_env=extra)
    call = node.publish_call("Share the town's cargo bikes", contact_email="team@example.org")
    servers = [node.url, second_server(node)]

    def submit(number: int) -> tuple[str, int]:
        server = servers[number % 2]
        response = requests.post(
            f"{server}/api/v1/calls/{call['id']}/contributions/",
            json={"body": f"Idea number {number}", "email": f"person{number}@example.org"},
            headers={"Connection": "close"},
            timeout=60,
        )
        return server, response.status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(submit, range(SUBMISSIONS)))
    codes = sorted(code for _server, code in answers)
    assert codes == [201] * LIMIT + [429] * (SUBMISSIONS - LIMIT), answers
    for server in servers:  # each server took part: accepted some, refused some or none
        assert any(code == 201 for where, code in answers if where == server)
    stored = node.python(
        "from interlink_blocks.participation.models import Contribution\n"
        "result = Contribution.objects.count()"
    )
    assert stored == LIMIT
