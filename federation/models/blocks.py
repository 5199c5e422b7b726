"""Blocklists: domains (shared-blocklist CSV format) and single actors."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BlockSeverity(models.TextChoices):
    SUSPEND = "suspend", _("suspend")
    SILENCE = "silence", _("silence")
    NOOP = "noop", _("no operation")


class BlockedDomain(models.Model):
    """A blocked server; subdomains are blocked with it."""

    domain = models.CharField(_("domain"), max_length=255, unique=True)
    severity = models.CharField(
        _("severity"), max_length=16, choices=BlockSeverity.choices, default=BlockSeverity.SUSPEND
    )
    public_comment = models.CharField(_("public comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked domain")
        verbose_name_plural = _("blocked domains")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args: object, **kwargs: object) -> None:
        self.domain = self.domain.strip().lower().rstrip(".")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class BlockedActor(models.Model):
    """A single blocked remote actor."""

    uri = models.URLField(_("actor id"), max_length=500, unique=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked actor")
        verbose_name_plural = _("blocked actors")
        ordering = ["uri"]

    def __str__(self) -> str:
        return self.uri
