"""The federated catalogue: calls and assets published by municipalities we follow."""

from __future__ import annotations

from django.db import models
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

remote_objects_withdrawn = Signal()
"""Sent with ``pks``: catalogue rows just marked deleted by ``withdraw`` (a queryset update,
which sends no ``post_save``). The search index listens."""


class RemoteObjectKind(models.TextChoices):
    CALL = "call", _("co-production call")
    ASSET = "asset", _("reusable asset")
    OTHER = "other", _("other")


class RemoteObjectQuerySet(models.QuerySet["RemoteObject"]):
    def withdraw(self) -> list[int]:
        """Marks the live rows deleted and empties their text (the row stays, so reuses
        keep their provenance); returns their pks and says so with
        ``remote_objects_withdrawn``. For an origin's Delete and for a block."""
        pks = list(self.filter(deleted_at__isnull=True).values_list("pk", flat=True))
        if pks:
            RemoteObject.objects.filter(pk__in=pks).update(
                deleted_at=timezone.now(), content_html="", summary=""
            )
            remote_objects_withdrawn.send(sender=RemoteObject, pks=pks)
        return pks


class RemoteObject(models.Model):
    """A remote call or asset, stored with its origin; HTML is sanitised before saving."""

    uri = models.URLField(_("object id"), max_length=500, unique=True)
    actor = models.ForeignKey(
        "interlink_federation.RemoteActor",
        on_delete=models.CASCADE,
        related_name="catalogue_items",
        verbose_name=_("origin"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RemoteObjectKind.choices)
    ap_type = models.CharField(_("ActivityStreams type"), max_length=64)
    name = models.CharField(_("title"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    content_html = models.TextField(_("content"), blank=True)
    url = models.URLField(_("page at origin"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    fields = models.JSONField(_("structured fields"), default=dict, blank=True)
    document = models.JSONField(default=dict, blank=True)
    published = models.DateTimeField(_("published"), null=True, blank=True)
    updated = models.DateTimeField(_("updated"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    objects = RemoteObjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("federated item")
        verbose_name_plural = _("federated catalogue")
        ordering = ["-updated", "-published", "-pk"]

    def __str__(self) -> str:
        return self.name or self.uri

    def get_absolute_url(self) -> str:
        return reverse("interlink_federation:remote_object", args=[self.pk])
