"""One way in for inbound activities: the dispatch table and the features registered in it.

The inbox view verifies and stores; the worker (``handlers.process``) hands each stored
activity to ``dispatch``, which calls every handler the table routes it to (see
``table``). Each feature's inbound mapping is one module of this package: it reads the
ActivityStreams and calls that feature's own services, so the core
(``interlink_blocks``) never sees ActivityStreams and never imports federation.

========================  =================================================================
module                    what it maps
========================  =================================================================
``follows``               Follow, Undo(Follow), Accept, Reject: who follows whom
``catalogue``             Create/Update/Delete of calls and assets from actors we follow
``participation``         replies → comments, Like/Undo(Like) → supports, a reply's Delete
``reuse``                 "reused by" notices, upstream updates and withdrawals of what we reused
========================  =================================================================

Adding a feature (poll votes, say): write ``dispatch/<feature>.py`` with handlers
decorated by ``@handles(activity_type, object_type, …)``, each taking an ``Incoming``
and returning whether it acted; add the module to ``FEATURES`` with the apps it needs.
docs/federation.md ("The dispatch table") says more.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps

from ..models import InboxState, RemoteActor
from .table import (
    ANY,
    ID_ONLY,
    DispatchTable,
    Incoming,
    Route,
    RouteError,
    handles,
    id_of,
    table,
)

__all__ = [
    "ANY",
    "FEATURES",
    "DispatchTable",
    "ID_ONLY",
    "Incoming",
    "Route",
    "RouteError",
    "dispatch",
    "handles",
    "id_of",
    "load",
    "table",
]

# Handler modules, in the order their handlers run, with the apps each one needs: a node
# without an optional app simply has no routes for it.
FEATURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("follows", ()),
    ("catalogue", ()),
    ("participation", ("interlink_blocks.participation", "interlink_blocks.reuse")),
    ("reuse", ("interlink_blocks.reuse",)),
)


def load() -> list[str]:
    """Imports the handler module of every feature whose apps are installed (their
    decorators fill the table); returns their names. Called once, by the app's ``ready``."""
    loaded = []
    for name, required in FEATURES:
        if all(apps.is_installed(app) for app in required):
            importlib.import_module(f"{__name__}.{name}")
            loaded.append(name)
    return loaded


def dispatch(activity: dict[str, Any], sender: RemoteActor) -> InboxState:
    """Hands one verified activity to the handlers the table routes it to; its message's
    new state: ``processed`` when one of them acted on it, else ``ignored`` (stored, not
    an error)."""
    acted = table.dispatch(Incoming(activity, sender))
    return InboxState.PROCESSED if acted else InboxState.IGNORED
