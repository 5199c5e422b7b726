"""Optional neighbours: the reuse and participation apps, reached only when installed.

Federation works without them. Each function here checks the app registry first and imports
the neighbour lazily, so a node without reuse or participation simply skips the call.
(Inbound activities reach them through the dispatch table instead: ``dispatch``.)
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

logger = logging.getLogger(__name__)

REUSE_APP = "interlink_blocks.reuse"
PARTICIPATION_LABEL = "interlink_participation"


def reuse_installed() -> bool:
    return apps.is_installed(REUSE_APP)


def reuse_url(object_uri: str) -> str | None:
    """The admin's "Reuse in my site" URL for a catalogue item, or ``None`` without reuse."""
    if not reuse_installed() or not object_uri:
        return None
    from interlink_blocks.reuse.views.reusing import reuse_url as build

    return build(object_uri)


def origin_actor_url(page: Any) -> str | None:
    """For a page reused from another node, the origin's actor (addressed when publishing)."""
    if not reuse_installed():
        return None
    from interlink_blocks.reuse.lineage import origin_actor_url as lookup

    return lookup(page)


def approved_contributions(page: Any) -> QuerySet[Any] | None:
    """Approved contributions (replies included) of a call, oldest first; ``None`` without
    the participation app. Reached by label, so federation does not require it."""
    try:
        contribution = apps.get_model(PARTICIPATION_LABEL, "Contribution")
    except LookupError:
        return None
    return (
        contribution.objects.filter(call_id=page.pk, state="approved")
        .select_related("parent")
        .order_by("published_at", "pk")
    )
