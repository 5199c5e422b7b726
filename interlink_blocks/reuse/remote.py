"""The federated catalogue as a source of origins, found through the app registry.

The reuse app does not import federation (the core must work without it); the default
``INTERLINK_REUSE_ORIGIN_LOADER`` looks the catalogue model up by label at call time
and answers ``None`` when federation is not installed.
"""

from django.apps import apps

from ..metadata import MetadataError, from_activity_object
from .services import Origin


def load_catalogue_origin(object_id: str) -> Origin | None:
    """The catalogue entry ``object_id`` (its AS id) as an ``Origin``, unless deleted."""
    if not apps.is_installed("interlink_federation"):
        return None
    remote_object = apps.get_model("interlink_federation", "RemoteObject")
    item = (
        remote_object.objects.select_related("actor")
        .filter(uri=object_id, deleted_at__isnull=True)
        .first()
    )
    if item is None:
        return None
    try:
        metadata = from_activity_object(item.document)
    except (MetadataError, TypeError, AttributeError):
        metadata = item.document if isinstance(item.document, dict) else {}  # refused later
    return Origin(
        metadata=metadata,
        object_id=item.uri,
        url=item.url,
        actor_url=item.actor.uri,
        actor_name=item.actor.display_name,
    )
