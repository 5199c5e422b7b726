"""The generation number that names the current version of cached page fragments."""

from django.db import models


class FragmentGeneration(models.Model):
    """One row whose ``value`` grows whenever data shown in a cached fragment changes.

    It lives in the database, not in the cache, so every web process sees a change at
    once, even with a per-process cache (Django's default). See ``interlink_blocks.fragments``.
    """

    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "fragment generation"
