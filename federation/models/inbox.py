"""Inbound activities, stored as received and handled later by a task."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InboxState(models.TextChoices):
    """received → processed | ignored | failed."""

    RECEIVED = "received", _("received")
    PROCESSED = "processed", _("processed")
    IGNORED = "ignored", _("ignored")
    FAILED = "failed", _("failed")


class InboxMessage(models.Model):
    """A verified activity; the unique ``activity_id`` makes duplicates land once."""

    activity_id = models.URLField(max_length=500, unique=True)
    activity_type = models.CharField(max_length=64, db_index=True)
    actor_uri = models.URLField(max_length=500, db_index=True)
    body = models.JSONField()
    state = models.CharField(
        max_length=16, choices=InboxState.choices, default=InboxState.RECEIVED, db_index=True
    )
    error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")

    def __str__(self) -> str:
        return f"{self.activity_type} {self.activity_id}"
