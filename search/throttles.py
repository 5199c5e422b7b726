"""Request rates for discovery, per anonymous client address (signed-in staff are not
limited): the API, the public page and its suggestions each have a budget
(``SEARCH_RATE_LIMITS``), counted as every Interlink budget is
(``interlink_blocks.throttling``). Every search costs the database or the engine several
statements; without a budget one client could keep both busy."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from interlink_blocks.throttling import Budget, BudgetThrottle, client_ip

from . import conf


def _rate(scope: str) -> str:
    rates = {**conf.DEFAULTS["SEARCH_RATE_LIMITS"], **conf.setting("SEARCH_RATE_LIMITS")}
    return str(rates[scope])


class DiscoveryThrottle(BudgetThrottle):
    """A budget of ``SEARCH_RATE_LIMITS[scope]`` per anonymous client address."""

    scope = ""

    @property
    def group(self) -> str:  # type: ignore[override]
        return f"search:{self.scope}"

    def get_rate(self) -> str:
        return _rate(self.scope)

    def get_value(self, request: Any) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return client_ip(request)


class ApiThrottle(DiscoveryThrottle):
    scope = "api"


class PageThrottle(DiscoveryThrottle):
    scope = "page"


class SuggestThrottle(DiscoveryThrottle):
    scope = "suggest"


def refused(request: HttpRequest, throttle_class: type[DiscoveryThrottle]) -> int | None:
    """None when ``request`` is within its budget (and counts it), else the seconds to
    wait."""
    throttle = throttle_class()
    value = throttle.get_value(request)
    if value is None:
        return None
    verdict = Budget(throttle.group, throttle.get_rate()).hit(request, value)
    return None if verdict.allowed else verdict.retry_after
