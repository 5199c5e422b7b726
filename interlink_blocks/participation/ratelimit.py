"""Fixed-window submission limits per client address and per e-mail address, in Django's cache."""

import hashlib

from django.core.cache import cache

from . import conf


def client_ip(request) -> str:
    # REMOTE_ADDR only: trusting X-Forwarded-For is the reverse proxy's job (it sets REMOTE_ADDR).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"participation:rate:{scope}:{digest}"


def hit(scope: str, value: str) -> bool:
    """Counts one submission; returns False when ``value`` is over its limit for ``scope``."""
    limit, window = conf.get("PARTICIPATION_RATE_LIMITS")[scope]
    key = _key(scope, value)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def allow(request, email: str = "") -> bool:
    """Counts a submission from this request (and address); False once either limit is reached."""
    allowed = hit("ip", client_ip(request))
    if email:
        allowed = hit("email", email) and allowed
    return allowed
