"""Inbox budgets: how many activities an actor, and its host, may deliver per window.

Counted with Interlink's one throttle base (``interlink_blocks.throttling``) in the shared
cache, so the budget holds across web processes and machines. Two tiers
(``FEDERATION_INBOX_RATE_LIMITS``): actors in an accepted follow with one of ours —
followers, and the actors we follow, who deliver their posts to us — are "known" and get
the larger budget; everyone else is a "stranger". A busy host's strangers cannot use up
what its known actors may send: each tier counts on its own.

The inbox view ``peek``s before the signature is verified (a refusal then costs no key
lookup) and counts only verified requests, so a forger naming someone else as actor
cannot spend that actor's budget.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from interlink_blocks.throttling import Budget, Verdict, first_refusal

from .conf import setting
from .localcache import TTLCache
from .models import Follower, Following, FollowState
from .signatures import authority

_known: TTLCache[bool] = TTLCache("FEDERATION_RELATION_CACHE_SECONDS")


def is_known(actor_id: str) -> bool:
    """Whether ``actor_id`` follows one of our actors, or one of ours follows it (accepted)."""

    def load() -> bool:
        accepted = Q(remote_actor__uri=actor_id, state=FollowState.ACCEPTED)
        return Follower.objects.filter(accepted).exists() or (
            Following.objects.filter(accepted).exists()
        )

    return _known.get_or_load(actor_id, load)


def _budgets(actor_id: str) -> list[tuple[Budget, str]]:
    tier = "known" if is_known(actor_id) else "stranger"
    limits = setting("FEDERATION_INBOX_RATE_LIMITS")
    return [
        (Budget(f"inbox:{tier}:actor", limits[f"{tier}_actor"]), actor_id),
        (Budget(f"inbox:{tier}:host", limits[f"{tier}_host"]), authority(actor_id)),
    ]


def peek(request: Any, actor_id: str) -> Verdict:
    """Whether ``actor_id`` or its host has used up its budget already (counts nothing)."""
    return first_refusal(*[budget.peek(request, value) for budget, value in _budgets(actor_id)])


def hit(request: Any, actor_id: str) -> Verdict:
    """Counts one verified delivery from ``actor_id`` against its and its host's budgets."""
    return first_refusal(*[budget.hit(request, value) for budget, value in _budgets(actor_id)])
