"""The node harness itself: separate processes, own databases, own addresses."""

import pytest

pytestmark = pytest.mark.e2e


def test_nodes_are_separate_processes_with_their_own_databases(nodes):
    """Ensures that two nodes answer on their own loopback ports, each with its own Site and content."""
    a, b = nodes("City of Alpha", "City of Beta")
    assert a.port != b.port and a.database_url != b.database_url
    call = a.publish_call("Only on Alpha")
    assert a.get(call["url"].removeprefix(a.url)).status_code == 200
    assert "Only on Alpha" in a.get("/calls/").text
    assert "Only on Alpha" not in b.get("/calls/").text
    assert a.server.popen.pid != b.server.popen.pid
    session = b.admin()
    assert session.get("/admin/").status_code == 200
