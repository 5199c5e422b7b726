"""Pytest fixtures and hooks for tests that run real nodes; a conftest star-imports them.

- ``node_factory`` (session, shared by every conftest that star-imports this module):
  migrates one template database per run; everything is removed at session finish.
- ``nodes`` (function) / ``module_nodes`` (module): ``nodes("City of A", "City of B")``
  starts nodes that stop when the test (or module) ends.
- A failed test's report gains a section with the tail of every node process's log.
"""

from __future__ import annotations

import os

import pytest

from .nodes import Node, NodeFactory

LOG_SECTION = "interlink node logs"


_shared: NodeFactory | None = None


@pytest.fixture(scope="session")
def node_factory() -> NodeFactory:
    """One factory (one migrated template) for the whole run, whichever conftest asks first;
    ``pytest_sessionfinish`` closes it, even after failures or an interrupt."""
    global _shared
    if _shared is None:
        _shared = NodeFactory(os.environ.get("DATABASE_URL"))
    return _shared


def pytest_sessionfinish(session, exitstatus):
    global _shared
    factory, _shared = _shared, None
    if factory is not None:
        factory.close()


class _Started:
    """Starts nodes for one scope and stops them when the scope ends."""

    def __init__(self, factory: NodeFactory, item: pytest.Item | None) -> None:
        self.factory, self.item, self.nodes = factory, item, []

    def __call__(self, *names: str, extra_env: dict | None = None) -> list[Node] | Node:
        started = self.factory.create(*names, extra_env=extra_env)
        self.nodes.extend(started)
        return started[0] if len(started) == 1 else started

    def stop(self) -> None:
        self.factory.release(self.nodes)


@pytest.fixture
def nodes(node_factory, request):
    started = _Started(node_factory, request.node)
    request.node._interlink_factory = node_factory
    yield started
    started.stop()


@pytest.fixture(scope="module")
def module_nodes(node_factory, request):
    started = _Started(node_factory, None)
    yield started
    started.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        factory = getattr(item, "_interlink_factory", None)
        if factory is None and "node_factory" in getattr(item, "fixturenames", ()):
            factory = item.funcargs.get("node_factory") if hasattr(item, "funcargs") else None
        if factory is not None:
            report.sections.append((LOG_SECTION, factory.log_report()))
    return report
