"""Submission budgets per client address and per e-mail address (``PARTICIPATION_RATE_LIMITS``),
counted as every Interlink budget is (``interlink_blocks.throttling``)."""

from ..throttling import Budget, client_ip
from . import conf

__all__ = ["allow", "client_ip", "hit"]


def hit(scope: str, value: str) -> bool:
    """Counts one submission; returns False when ``value`` is over its limit for ``scope``."""
    budget = Budget(
        f"interlink_participation:{scope}", tuple(conf.get("PARTICIPATION_RATE_LIMITS")[scope])
    )
    return budget.hit(None, value.strip().lower()).allowed


def allow(request, email: str = "") -> bool:
    """Counts a submission from this request (and address); False once either limit is reached."""
    allowed = hit("ip", client_ip(request))
    if email:
        allowed = hit("email", email) and allowed
    return allowed
