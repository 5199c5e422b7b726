"""Resources on tasks: uploads with versions, links, working copies of reusable assets."""

import logging
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from interlink_blocks.models import AssetPage

from .. import conf
from ..models import Resource, ResourceKind, ResourceVersion, Task, Verb
from .log import record

logger = logging.getLogger(__name__)


def check_upload(upload, staff: bool) -> None:
    """Refuses what people who are not staff may not upload: too large, or of a type outside
    ``WORKSPACE_UPLOAD_EXTENSIONS``. HTML and SVG are refused for everyone (they are served
    as downloads anyway, never rendered)."""
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    if extension in ("html", "htm", "xhtml", "svg", "svgz", "js", "xml"):
        raise ValidationError(_("Web pages and SVG images cannot be uploaded here."))
    if staff:
        return
    limit = conf.get("WORKSPACE_UPLOAD_MAX_BYTES")
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": round(limit / 1024 / 1024, 1)}
        )
    allowed = conf.get("WORKSPACE_UPLOAD_EXTENSIONS")
    if extension not in allowed:
        raise ValidationError(
            _("Files of this type cannot be uploaded. Allowed: %(types)s.")
            % {"types": ", ".join(allowed)}
        )


def _safe_name(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).strip() or "file"
    return "".join(c if c.isalnum() or c in "-_. " else "_" for c in base)[:150]


@transaction.atomic
def add_version(resource: Resource, upload, by, note: str = "") -> ResourceVersion:
    """Stores a new version of an upload; earlier versions stay."""
    Resource.objects.select_for_update().filter(pk=resource.pk).first()
    top = resource.versions.aggregate(top=Max("number"))["top"] or 0
    version = ResourceVersion(
        resource=resource,
        number=top + 1,
        original_name=_safe_name(upload.name),
        size=upload.size,
        note=note,
        uploaded_by=by,
    )
    version.file.save(version.original_name, upload, save=False)
    version.save()
    record(
        resource.process,
        by,
        Verb.VERSION_ADDED,
        task=resource.task,
        subject=resource.name,
        version=version.number,
    )
    return version


@transaction.atomic
def add_upload(task: Task, name: str, description: str, upload, by) -> Resource:
    resource = Resource.objects.create(
        process=task.process,
        task=task,
        kind=ResourceKind.UPLOAD,
        name=name,
        description=description,
        created_by=by,
    )
    record(task.process, by, Verb.RESOURCE_ADDED, task=task, subject=name)
    add_version(resource, upload, by)
    return resource


@transaction.atomic
def add_link(task: Task, name: str, url: str, description: str, by) -> Resource:
    resource = Resource.objects.create(
        process=task.process,
        task=task,
        kind=ResourceKind.LINK,
        name=name,
        url=url,
        description=description,
        created_by=by,
    )
    record(task.process, by, Verb.RESOURCE_ADDED, task=task, subject=name)
    return resource


@transaction.atomic
def add_working_copy(task: Task, asset: AssetPage, by) -> Resource:
    """A working copy of a reusable asset: its lineage (the asset), and its first document
    as version 1 for the team to rework. A federated asset is copied the same way once the
    reuse workflow has made it a local asset (its provenance stays on that page)."""
    resource = Resource.objects.create(
        process=task.process,
        task=task,
        kind=ResourceKind.ASSET,
        name=asset.title[:200],
        description=asset.summary,
        url=asset.full_url or "",
        asset=asset,
        asset_uuid=asset.uuid,
        asset_title=asset.title[:255],
        created_by=by,
    )
    record(
        task.process,
        by,
        Verb.RESOURCE_ADDED,
        task=task,
        subject=resource.name,
        asset=str(asset.uuid),
    )
    first = asset.documents.select_related("document").first()
    if first is not None:
        document = first.document
        with document.file.open("rb") as handle:
            content = ContentFile(handle.read(), name=os.path.basename(document.file.name))
        add_version(resource, content, by, note=_("Copied from the asset"))
    return resource


def recommended_assets(task: Task, query: str = "", limit: int = 6):
    """Reusable assets for a task: those sharing the call's sectors first, matching ``query``
    in their title or summary when given; live, public pages only."""
    from django.db.models import Count, Q

    assets = AssetPage.objects.live().public()
    if query:
        assets = assets.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    sectors = list(task.process.call.sectors.values_list("pk", flat=True))
    assets = assets.annotate(
        shared=Count("sectors", filter=Q(sectors__in=sectors), distinct=True)
    ).order_by("-shared", "-last_published_at")
    if not query:
        assets = assets.filter(shared__gt=0) if sectors else assets
    return list(assets[:limit])
