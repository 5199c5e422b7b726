"""The shared cache from the environment: Redis when a URL is given, else the database.

Request budgets, the key-refetch allowance and the fragment cache's invalidation must be
seen by every process of the node (web workers, task workers) and by every machine behind
the proxy: a per-process memory cache lets each gunicorn worker grant a budget of its own.
"""

from __future__ import annotations

from typing import Any

# The database cache's table (created by ``migrate``: interlink_blocks.cache).
DATABASE_CACHE_TABLE = "interlink_cache"
# Django culls a third of the database cache past MAX_ENTRIES (300 by default), which would
# forget request budgets under load; entries expire on their own long before this many.
DATABASE_CACHE_MAX_ENTRIES = 50_000


def cache(redis_url: str, key_prefix: str = "") -> dict[str, Any]:
    """Django's ``RedisCache`` at ``redis_url``, or the database cache when it is empty."""
    if redis_url:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": key_prefix,
        }
    return {
        "BACKEND": "interlink_blocks.cache.DatabaseCache",
        "LOCATION": DATABASE_CACHE_TABLE,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {"MAX_ENTRIES": DATABASE_CACHE_MAX_ENTRIES},
    }
