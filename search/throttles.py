"""Request rates for discovery, per anonymous client address (signed-in staff are not
limited): the API, the public page and its suggestions each have a budget
(``SEARCH_RATE_LIMITS``), kept in Django's cache. Every search costs the database or
the engine several statements; without a budget one client could keep both busy."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from rest_framework.throttling import AnonRateThrottle

from . import conf


class DiscoveryThrottle(AnonRateThrottle):
    """A budget of ``SEARCH_RATE_LIMITS[scope]``; usable from plain Django views too.

    The client address is ``REMOTE_ADDR`` (the reverse proxy sets it): DRF's own
    ``get_ident`` believes any ``X-Forwarded-For`` a client sends unless ``NUM_PROXIES``
    is set, which would let each request pick a new address."""

    def get_ident(self, request: Any) -> str:
        return str(request.META.get("REMOTE_ADDR") or "unknown")

    def get_rate(self) -> str:
        rates = {**conf.DEFAULTS["SEARCH_RATE_LIMITS"], **conf.setting("SEARCH_RATE_LIMITS")}
        return str(rates[self.scope])

    def retry_after(self) -> int:
        """Whole seconds until the next request may pass (the Retry-After header)."""
        return max(1, round(self.wait() or 1))


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
    view: Any = None  # DRF's throttles take the view, and ours never read it
    return None if throttle.allow_request(request, view) else throttle.retry_after()
