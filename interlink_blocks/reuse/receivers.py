"""Following the federated catalogue without importing federation.

When federation stores a new version of a catalogue item we reused, the reuse is marked
"upstream changed"; when the item is deleted, "origin withdrawn". The catalogue model is
named by label (``interlink_federation.RemoteObject``), so nothing here imports federation and the
receivers are simply never called when it is not installed. Federation may also call
``record_upstream_update`` / ``record_upstream_delete`` directly (both are idempotent).
"""

import logging

from django.db.models.signals import post_delete, post_save

from .models import Provenance
from .upstream import record_upstream_delete, record_upstream_update

logger = logging.getLogger(__name__)

CATALOGUE_MODEL = "interlink_federation.RemoteObject"


def _reused(uri: str) -> bool:
    return bool(uri) and Provenance.objects.filter(origin_object_id=uri).exists()


def on_catalogue_saved(sender, instance, created, **kwargs) -> None:
    if not _reused(instance.uri):
        return
    if getattr(instance, "deleted_at", None):
        record_upstream_delete(instance.uri)
    elif isinstance(instance.document, dict) and instance.document:
        record_upstream_update(instance.uri, instance.document)


def on_catalogue_deleted(sender, instance, **kwargs) -> None:
    if _reused(instance.uri):
        record_upstream_delete(instance.uri)


def connect() -> None:
    post_save.connect(on_catalogue_saved, sender=CATALOGUE_MODEL, dispatch_uid="reuse_upstream")
    post_delete.connect(
        on_catalogue_deleted, sender=CATALOGUE_MODEL, dispatch_uid="reuse_upstream_gone"
    )
