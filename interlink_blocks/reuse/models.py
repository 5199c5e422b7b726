"""Where a reused page came from, and who reused ours.

``Provenance`` belongs to a local page that was adopted from another administration
(through federation or a package); ``ReuseNotice`` records that another administration
adopted one of our pages.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import LICENCES


class ProvenanceState(models.TextChoices):
    IN_SYNC = "in_sync", _("In sync with the origin")
    UPSTREAM_CHANGED = "upstream_changed", _("Upstream changed")
    ORIGIN_WITHDRAWN = "origin_withdrawn", _("Origin withdrawn")


class ReuseChannel(models.TextChoices):
    FEDERATION = "federation", _("Federation")
    PACKAGE = "package", _("Package")


class Provenance(models.Model):
    """The origin of a local page that adapts another administration's call or asset.

    ``origin_identifier`` (the origin's ``dct:identifier``, a ``urn:uuid:``) is the
    identity used to spot a second reuse of the same object, as wagtail-transfer keys
    by UUID. ``applied_snapshot`` is the origin's metadata as last applied to the page,
    ``received_snapshot`` as last received: their difference is what an editor reviews
    when the origin changes. ``file_map`` maps origin file URLs to the local documents
    and images made from them, so applying an update downloads only new files.
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="interlink_provenance"
    )
    origin_identifier = models.CharField(_("origin identifier"), max_length=100, unique=True)
    origin_object_id = models.URLField(_("origin object id"), max_length=500, blank=True)
    origin_url = models.URLField(_("origin URL"), max_length=500, blank=True)
    origin_name = models.CharField(_("origin municipality"), max_length=200)
    origin_actor_url = models.URLField(_("origin actor"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=64)
    origin_version = models.CharField(_("origin version"), max_length=30, blank=True)
    origin_updated_at = models.DateTimeField(_("origin updated at"), null=True, blank=True)
    lineage = models.JSONField(_("lineage"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ProvenanceState.choices, default=ProvenanceState.IN_SYNC
    )
    channel = models.CharField(_("received through"), max_length=20, choices=ReuseChannel.choices)
    applied_snapshot = models.JSONField(default=dict, blank=True)
    received_snapshot = models.JSONField(default=dict, blank=True)
    file_map = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("provenance")
        verbose_name_plural = _("provenances")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.page} ← {self.origin_name}"

    @property
    def licence_info(self):
        return LICENCES.get(self.licence)

    @property
    def requires_attribution(self) -> bool:
        info = self.licence_info
        # An unknown licence is treated as the strictest: always attribute.
        return info.requires_attribution if info else True


class ReuseNotice(models.Model):
    """Another administration adopted one of our pages (announced through federation)."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="interlink_reuse_notices"
    )
    actor_url = models.URLField(_("administration"), max_length=500)
    actor_name = models.CharField(_("administration name"), max_length=200, blank=True)
    copy_url = models.URLField(_("their copy"), max_length=500, blank=True)
    copy_object_id = models.URLField(_("their object id"), max_length=500)
    received_at = models.DateTimeField(auto_now_add=True)
    withdrawn = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("reuse by another administration")
        verbose_name_plural = _("reuses by other administrations")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["page", "copy_object_id"], name="reuse_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.actor_name or self.actor_url} reused {self.page}"


class RemoteSupporter(models.Model):
    """The participant standing for a fediverse account, so its Likes count once per call.

    Kept here rather than on ``Participant`` so participation needs no federation field.
    """

    actor_url = models.URLField(_("fediverse account"), max_length=500, unique=True)
    participant = models.OneToOneField(
        "interlink_participation.Participant",
        on_delete=models.CASCADE,
        related_name="remote_supporter",
    )

    class Meta:
        verbose_name = _("fediverse supporter")
        verbose_name_plural = _("fediverse supporters")

    def __str__(self) -> str:
        return self.actor_url
