"""What a team produces on its tasks: uploaded documents (with versions), links, and working
copies of reusable assets.

Uploads live in a private storage (``WORKSPACE_PRIVATE_ROOT``), outside ``MEDIA_ROOT``: no
web server serves them; the workspace's download view checks the reader's access every
time and sends them as attachments.
"""

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PrivateStorage(FileSystemStorage):
    """Files only the workspace's views read, under ``WORKSPACE_PRIVATE_ROOT`` (read on each
    use, so a changed setting applies at once) and never given a public URL."""

    @property  # type: ignore[override]
    def base_location(self):
        from .. import conf

        return conf.get("WORKSPACE_PRIVATE_ROOT")

    @property  # type: ignore[override]
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Workspace files have no public URL: use the download view.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def version_path(instance, filename: str) -> str:
    # A random folder per version: names never collide and never reveal another version.
    return f"workspace/{instance.resource.process_id}/{uuid.uuid4().hex}/{filename}"


class ResourceKind(models.TextChoices):
    UPLOAD = "upload", _("Document")
    LINK = "link", _("Link")
    ASSET = "asset", _("Working copy of an asset")


class Resource(models.Model):
    process = models.ForeignKey(
        "interlink_workspace.Process", on_delete=models.CASCADE, related_name="resources"
    )
    task = models.ForeignKey(
        "interlink_workspace.Task", on_delete=models.CASCADE, related_name="resources"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("address"), blank=True, max_length=1000)
    #: The reusable asset a working copy started from (lineage); kept as its UUID and
    #: title too, in case the page goes.
    asset = models.ForeignKey(
        "interlink_blocks.AssetPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asset_uuid = models.UUIDField(null=True, blank=True)
    asset_title = models.CharField(max_length=255, blank=True)
    #: The reusable asset this resource was published as, when the team closed the loop.
    published_asset = models.ForeignKey(
        "interlink_blocks.AssetPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["task", "name", "pk"]

    def __str__(self):
        return self.name


class ResourceVersion(models.Model):
    """One uploaded version of a resource; a new upload adds one and keeps the others."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=version_path, storage=private_storage, max_length=500)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="workspace_version_number")
        ]
