"""The generation number that names the current version of cached page fragments."""

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

ROW = 1


class FragmentGeneration(models.Model):
    """One row whose ``value`` grows whenever data shown in a cached fragment changes.

    It lives in the database, not in the cache, so every web process sees a change at
    once, even with a per-process cache (Django's default). See ``interlink_blocks.fragments``.
    """

    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("fragment generation")
        verbose_name_plural = _("fragment generations")


def generation_expression():
    """The current generation as a subquery, to read it along with another query."""
    value = FragmentGeneration.objects.filter(pk=ROW).values("value")[:1]
    return Coalesce(models.Subquery(value), 0, output_field=models.PositiveBigIntegerField())
