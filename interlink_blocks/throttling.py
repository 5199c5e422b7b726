"""Request budgets: the one way Interlink counts requests, for forms, APIs and the inbox.

A ``Budget`` allows ``rate`` requests per window for each value of a key (a client
address, an e-mail address, an actor, a host). The counting is django-ratelimit's: a fixed
window per value (its end staggered by the value, so windows do not all turn at once),
``cache.add`` then an atomic ``cache.incr`` in Django's default cache. Production settings
make that cache Redis or the database (``interlink_site/caches.py``), so a budget holds
across every process and machine of a node; the test settings' memory cache is per process.

Rates are ``"N/s"``, ``"N/m"``, ``"N/h"``, ``"N/d"`` (DRF's ``"N/min"``, ``"N/hour"`` read the
same) or ``(count, seconds)``. ``RATELIMIT_ENABLE = False`` switches every budget off (the
benchmarks measure throughput, not budgets).

- forms and plain views: ``Budget(group, rate).hit(request, value)``;
- DRF views: a ``BudgetThrottle`` subclass in ``throttle_classes`` (429 with Retry-After);
- the inbox: ``peek`` before the signature is checked, ``hit`` once it is verified.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from typing import Any

from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

Rate = str | tuple[int, int]


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0
    """Whole seconds until the budget's window turns (the ``Retry-After`` header)."""


ALLOWED = Verdict(True)


def client_ip(request: Any) -> str:
    """``REMOTE_ADDR`` only: trusting ``X-Forwarded-For`` is the reverse proxy's job (it sets
    ``REMOTE_ADDR``); a header a client sends itself would let it pick a new address for
    each request."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


class Budget:
    """``rate`` requests per window for each value, in the group ``group``."""

    def __init__(self, group: str, rate: Rate) -> None:
        self.group = group
        self.rate = rate

    def hit(self, request: Any, value: str) -> Verdict:
        """Counts one request for ``value``; refused once it is over the budget."""
        return self._usage(request, value, increment=True)

    def peek(self, request: Any, value: str) -> Verdict:
        """Whether ``value`` is over its budget already, counting nothing."""
        return self._usage(request, value, increment=False)

    def _usage(self, request: Any, value: str, increment: bool) -> Verdict:
        try:
            usage = get_usage(
                request,
                group=self.group,
                key=lambda _group, _request: value,
                rate=self.rate,
                increment=increment,
            )
        except Exception:  # an unreachable cache must neither refuse nor break requests
            logger.exception("Budget: cache unusable; %s not counted", self.group)
            return ALLOWED
        if usage is None:  # RATELIMIT_ENABLE = False
            return ALLOWED
        if usage["time_left"] < 0:  # django-ratelimit's "could not count" answer
            logger.warning("Budget: cache did not count %s; allowing", self.group)
            return ALLOWED
        over = usage["count"] > usage["limit"] if increment else usage["count"] >= usage["limit"]
        return Verdict(not over, max(1, int(usage["time_left"])) if over else 0)


def first_refusal(*verdicts: Verdict) -> Verdict:
    """The refusal that lasts longest among ``verdicts``, or ``ALLOWED``."""
    refused = [verdict for verdict in verdicts if not verdict.allowed]
    return max(refused, key=lambda verdict: verdict.retry_after) if refused else ALLOWED


class BudgetThrottle(BaseThrottle):
    """A DRF throttle over a ``Budget``: subclasses name the group and the rate, and may
    choose the counted value (the client address by default; ``None`` counts nothing)."""

    group = ""

    def get_rate(self) -> Rate | None:
        raise NotImplementedError

    def get_value(self, request: Any) -> str | None:
        return client_ip(request)

    def allow_request(self, request: Any, view: Any) -> bool:
        self.verdict = ALLOWED
        rate, value = self.get_rate(), self.get_value(request)
        if rate is None or value is None:
            return True
        self.verdict = Budget(self.group, rate).hit(request, value)
        return self.verdict.allowed

    def wait(self) -> float | None:
        return self.verdict.retry_after or None


def sign_in_address(request: Any) -> str | None:
    """django-axes' ``AXES_CLIENT_IP_CALLABLE``: ``REMOTE_ADDR`` as ``client_ip`` reads it, or
    ``None`` when there is no usable address (a gunicorn unix socket, a login made in code).
    axes stores it in an IP-address column, which PostgreSQL refuses to hold a word in."""
    address = client_ip(request) if request is not None else ""
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def sign_in_name(request: Any, credentials: dict[str, Any] | None) -> str:
    """django-axes' ``AXES_USERNAME_CALLABLE``: the account a sign-in attempt names, whatever
    its form calls it — ``username`` (Django's and Wagtail's admins), ``email`` or ``login``
    (django-allauth) — lower-cased, so failures count per account."""
    credentials = credentials or {}
    value = next(
        (credentials[key] for key in ("username", "email", "login") if credentials.get(key)), ""
    )
    if not value and request is not None:
        posted = getattr(request, "POST", {})
        value = next((posted[key] for key in ("username", "login", "email") if posted.get(key)), "")
    return str(value).strip().lower()
