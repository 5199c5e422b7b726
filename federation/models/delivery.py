"""Outbound activities, their deliveries (one per distinct inbox) and per-host health."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxActivity(models.Model):
    """An activity one of our actors sent; its id is stable so receivers dedupe resends."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    local_actor = models.ForeignKey(
        "interlink_federation.LocalActor", on_delete=models.CASCADE, related_name="outbox"
    )
    activity_id = models.URLField(max_length=500, unique=True)
    activity_type = models.CharField(max_length=32)
    object_uri = models.URLField(max_length=500, blank=True, db_index=True)
    document = models.JSONField()
    public = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sent activity")
        verbose_name_plural = _("sent activities")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.activity_type} {self.object_uri or self.activity_id}"


class DeliveryState(models.TextChoices):
    """queued → sending → delivered | retrying → … → failed (after ≥ 48 h); a waiting
    delivery to a server or actor that gets blocked → cancelled."""

    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    DELIVERED = "delivered", _("delivered")
    RETRYING = "retrying", _("retrying")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class Delivery(models.Model):
    """One activity to one inbox. The row, not the task queue, is the source of truth."""

    activity = models.ForeignKey(
        OutboxActivity, on_delete=models.CASCADE, related_name="deliveries"
    )
    inbox = models.URLField(_("inbox"), max_length=500)
    host = models.CharField(_("host"), max_length=255, db_index=True)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=DeliveryState.choices,
        default=DeliveryState.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # A claim is a lease (docs/deployment.md, "Leases"): the worker named in lease_owner
    # sends it and renews lease_expires every few seconds while it does; once the lease has
    # expired (the worker died), the sweep puts the delivery back in the queue.
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, db_index=True)
    lease_owner = models.CharField(_("sending worker"), max_length=128, blank=True)
    lease_expires = models.DateTimeField(_("lease expires"), null=True, blank=True, db_index=True)
    first_failed_at = models.DateTimeField(_("failing since"), null=True, blank=True)
    last_status = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # What a receiver answered with a refusal (a 4xx other than 401/403/404/410, such as
    # "400 Invalid activity"), kept so staff can see why and retry after a fix.
    response_body = models.TextField(_("receiver's answer"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "inbox"], name="federation_unique_delivery")
        ]

    def __str__(self) -> str:
        return f"{self.activity} → {self.inbox} ({self.state})"


SIGNATURE_SCHEMES = [
    ("rfc9421", _("RFC 9421 HTTP Message Signatures")),
    ("cavage", _("draft-cavage HTTP Signatures")),
]


class HostHealth(models.Model):
    """Failure tracker per host: pauses dead servers, resumes them when they answer."""

    host = models.CharField(_("host"), max_length=255, unique=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    paused_until = models.DateTimeField(_("paused until"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # The HTTP signature scheme the host accepted last ("" until it accepted one).
    signature_scheme = models.CharField(
        _("signature scheme"), max_length=16, blank=True, choices=SIGNATURE_SCHEMES
    )

    class Meta:
        verbose_name = _("host health")
        verbose_name_plural = _("host health")

    def __str__(self) -> str:
        return self.host


class WorkerHeartbeat(models.Model):
    """A ``federation_worker`` process's last sign of life, written every few seconds: what
    ``/readyz`` and the admin's federation status read to tell a live worker from a dead one."""

    worker_id = models.CharField(_("worker"), max_length=128, unique=True)
    started_at = models.DateTimeField(_("started"))
    last_seen = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return self.worker_id
