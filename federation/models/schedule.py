"""The periodic jobs' shared clock: one row per job, claimed by one worker per interval."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    """When a periodic job (``interlink_federation.scheduler.JOBS``) is next due, and who
    ran it last. Every ``federation_worker`` reads these rows; the one whose conditional
    update moves ``next_run`` forward runs the job, so it runs once per interval however
    many workers there are."""

    name = models.CharField(_("job"), max_length=64, unique=True)
    next_run = models.DateTimeField(_("next run"))
    last_run = models.DateTimeField(_("last run"), null=True, blank=True)
    last_owner = models.CharField(_("last run by"), max_length=128, blank=True)
    runs = models.PositiveBigIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
