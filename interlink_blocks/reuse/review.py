"""An origin's new version, reviewed three ways, then applied field by field as a draft.

``Provenance.applied_snapshot`` is the origin's version our page was last brought in
line with (applied or reviewed), ``received_snapshot`` its newest. For each field an
update may change (``content.update_groups``: for calls only the template fields):

* the origin changed it — the two versions of the origin differ there;
* we changed it here — our latest draft differs from what the applied version gave.

The editor sees what the origin changed (Wagtail's field and block comparison between
the origin's two versions) and picks which changes go into a new draft revision; by
default those the origin changed and we did not, so local adaptations are never
overwritten unless chosen. Nothing is written until they apply; files are fetched
before the transaction that saves the revision.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..metadata import MetadataError, metadata_to_page_fields
from .content import apply_fields, update_groups
from .errors import ReuseError
from .files import Fetch, FileIngester
from .models import Provenance, ProvenanceState
from .refs import FileRefs
from .services import check_licence, invalid_page_message, origin_hosts, parse_time

# Groups shown by an inline panel rather than a field.
RELATION_LABELS = {"documents": gettext_lazy("Documents"), "images": gettext_lazy("Images")}
_BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')


@dataclass
class Change:
    """One field the origin changed, and whether we changed it here too."""

    name: str
    label: str
    changed_here: bool
    comparisons: list = field(default_factory=list)
    new_files: list[str] = field(default_factory=list)

    @property
    def suggested(self) -> bool:
        return not self.changed_here


def snapshot_token(provenance: Provenance) -> str:
    """Names the origin version under review, so an apply never takes a newer one unseen."""
    text = json.dumps(provenance.received_snapshot, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def origin_fields(snapshot: dict) -> dict:
    try:
        return metadata_to_page_fields(snapshot)
    except (MetadataError, RecursionError) as error:
        raise ReuseError(_("The origin's update cannot be used: %(e)s") % {"e": error}) from error


def latest_draft(provenance: Provenance):
    """A fresh in-memory copy of the page's latest revision, safe to modify.

    (``get_latest_revision_as_object`` returns the page itself when there is no draft,
    and changing that would change what is compared against.)
    """
    page = provenance.page.specific_class.objects.get(pk=provenance.page_id)
    revision = page.get_latest_revision()
    return revision.as_object() if revision else page


def _refs(provenance: Provenance, **kwargs) -> FileRefs:
    hosts = origin_hosts(
        provenance.origin_object_id, provenance.origin_actor_url, provenance.origin_url
    )
    return FileRefs(provenance.file_map, link_hosts=hosts, **kwargs)


def _with(provenance: Provenance, fields: dict, groups, refs: FileRefs | None = None):
    """The latest draft with ``groups`` set from ``fields`` (files: only those here already)."""
    page = latest_draft(provenance)
    try:
        apply_fields(page, fields, refs or _refs(provenance), template_call=False, only=groups)
    except (MetadataError, RecursionError) as error:
        raise ReuseError(_("The origin's update cannot be used: %(e)s") % {"e": error}) from error
    return page


def origin_value(fields: dict, name: str):
    """What one version of the origin says about ``name``, comparable with another version."""
    if name in ("body", "coproduction_schema"):
        return _without_ids(fields[name])
    if name == "sectors":
        return sorted(fields["sectors"]), sorted(fields.get("sector_names") or [])
    if name == "documents":
        return [
            (item["dcat:downloadURL"], item.get("dct:title")) for item in fields["distributions"]
        ]
    if name == "images":
        keys = ("dcat:downloadURL", "dct:title", "schema:description", "schema:caption")
        return [tuple(item.get(key) for key in keys) for item in fields["depictions"]]
    return fields[name]


def page_value(page, name: str):
    """A page's ``name`` as comparable data (block ids and editor-only markup left out)."""
    if name in ("body", "coproduction_schema"):
        # Each block through its own definition: a block saved by the editor (all its
        # children, defaults filled in) equals the same block as brought in.
        blocks = [
            {"type": child.block_type, "value": child.block.get_prep_value(child.value)}
            for child in getattr(page, name)
        ]
        return _normalised(_without_ids(blocks))
    if name == "sectors":
        return sorted(sector.pk for sector in page.sectors.all())
    if name == "documents":
        return [item.document_id for item in page.documents.all()]
    if name == "images":
        return [(item.image_id, item.alt_text, item.caption) for item in page.images.all()]
    value = getattr(page, name)
    return _normalised(list(value) if isinstance(value, list | tuple) else value)


def _without_ids(value):
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def _normalised(value):
    """Rich text as the editor saves it compares equal to the text as brought in."""
    if isinstance(value, str):
        return " ".join(_BLOCK_KEY.sub("", value).replace("<br/>", "<br>").split())
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    return value


def _label(page, name: str) -> str:
    if name in RELATION_LABELS:
        return str(RELATION_LABELS[name])
    return capfirst(page._meta.get_field(name).verbose_name)


def review_upstream(provenance: Provenance, request=None) -> list[Change]:
    """The fields the origin changed since ``applied_snapshot``; raises ``ReuseError``."""
    current = latest_draft(provenance)
    groups = update_groups(current)
    new_fields = origin_fields(provenance.received_snapshot)
    try:
        base_fields = metadata_to_page_fields(provenance.applied_snapshot)
    except (MetadataError, RecursionError):
        base_fields = None  # not known (an early reuse): compare with our draft instead
    new_page = _with(provenance, new_fields, groups)
    if base_fields is None:
        base_page = current
        changed = [
            name for name in groups if page_value(current, name) != page_value(new_page, name)
        ]
    else:
        base_page = _with(provenance, base_fields, groups)
        changed = [
            name
            for name in groups
            if origin_value(base_fields, name) != origin_value(new_fields, name)
        ]
    panel = current.get_edit_handler().get_bound_panel(instance=current, request=request, form=None)
    comparisons: dict[str, list] = {}
    for compare in panel.get_comparison():
        comparison = compare(base_page, new_page)
        comparisons.setdefault(comparison.field.name, []).append(comparison)
    changes = []
    for name in changed:
        plan = _refs(provenance, collect=True)
        _with(provenance, new_fields, {name}, plan)
        changes.append(
            Change(
                name=name,
                label=_label(current, name),
                changed_here=base_fields is not None
                and page_value(current, name) != page_value(base_page, name),
                comparisons=[c for c in comparisons.get(name, []) if c.has_changed()],
                new_files=[item.title for item in plan.wanted],
            )
        )
    return changes


def apply_upstream(
    provenance: Provenance, *, user, fetch: Fetch | None, chosen, token: str | None = None
):
    """Saves the chosen changes of the origin as a new draft revision by ``user``.

    Fields not chosen keep our version. Raises ``ReuseError`` (nothing saved, no file left).
    """
    if token is not None and token != snapshot_token(provenance):
        raise ReuseError(_("The origin sent another version in the meantime: review it again."))
    check_licence(provenance.received_snapshot)
    fields = origin_fields(provenance.received_snapshot)
    groups = [name for name in update_groups(latest_draft(provenance)) if name in set(chosen)]
    if not groups:
        raise ReuseError(_("Choose at least one of the origin's changes to apply."))
    plan = _refs(provenance, collect=True)
    _with(provenance, fields, groups, plan)
    ingester = FileIngester(fetch)
    try:
        ingester.fetch_all(plan.wanted)  # outside the transaction
        with transaction.atomic():
            resolver = _refs(provenance, ingester=ingester)
            page = _with(provenance, fields, groups, resolver)
            revision = page.save_revision(user=user, log_action=True)
            provenance.applied_snapshot = provenance.received_snapshot
            provenance.file_map = resolver.file_map
            provenance.state = ProvenanceState.IN_SYNC
            provenance.licence = fields.get("licence", provenance.licence)
            provenance.origin_version = fields.get("version", provenance.origin_version)
            provenance.origin_updated_at = parse_time(
                provenance.received_snapshot.get("dct:modified")
            )
            provenance.save()
    except ValidationError as error:
        ingester.discard()
        raise ReuseError(invalid_page_message(provenance.page.specific_class, error)) from error
    except BaseException:
        ingester.discard()
        raise
    ingester.discard_unused()
    return revision


def dismiss_upstream(provenance: Provenance, *, token: str | None = None) -> None:
    """Keeps our version: the origin's newest version counts as reviewed, nothing applied."""
    if token is not None and token != snapshot_token(provenance):
        raise ReuseError(_("The origin sent another version in the meantime: review it again."))
    provenance.applied_snapshot = provenance.received_snapshot
    provenance.state = ProvenanceState.IN_SYNC
    provenance.save(update_fields=["applied_snapshot", "state", "updated_at"])
