"""One entry point for federation's inbox worker: what reuse and participation do with an activity.

Federation calls ``handle_activity(activity, actor_url=…, actor_name=…)`` for every
verified, not-blocked activity before its own handling. It returns ``True`` when the
activity was consumed here (a reply to a call, a Like or its Undo) and federation should
mark it processed; ``False`` when federation should go on as usual. Reuse notices are side
effects: they never consume the activity, so the catalogue still sees Creates, Updates and
Deletes of the copies. The author's Delete of a reply is consumed: a reply never entered the
catalogue, so federation would only mark it ignored.
"""

import logging
from urllib.parse import urlsplit

from ..metadata import KIND_ASSET, KIND_CALL
from .fediverse import ReplyRefused, receive_delete, receive_like, receive_reply, receive_undo_like
from .services import http_url
from .upstream import find_local_page, record_reuse_notice, record_reuse_withdrawn

logger = logging.getLogger(__name__)

REPLY_TYPES = {"Note", "Article", "Page", "Question"}


def _id(value) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower() if http_url(url) else ""


def _reuse_notice(obj: dict, actor_url: str, actor_name: str) -> None:
    """Another administration's call or asset derived from one of ours: count the reuse.

    Anyone may say so, so only an Interlink call or asset counts (``interlink:kind``), the
    copy must live on the sender's host, and its ``url`` becomes a link only if it is an
    http(s) URL on that host too.
    """
    if obj.get("interlink:kind") not in (KIND_CALL, KIND_ASSET):
        return
    origin = _id(obj.get("prov:wasDerivedFrom")) or _id(obj.get("dct:isVersionOf"))
    page = find_local_page(origin) if origin else None
    copy_id, actor_host = _id(obj), _host(actor_url)
    if page is None or not actor_host or _host(copy_id) != actor_host:
        return
    url = obj.get("url") if isinstance(obj.get("url"), str) else ""
    name = actor_name if isinstance(actor_name, str) else ""
    record_reuse_notice(page, actor_url=actor_url, actor_name=name, copy_object_id=copy_id,
                        copy_url=url if _host(url) == actor_host else "")  # fmt: skip
    logger.info("Reuse: %s reused our page %s as %s", actor_url, page.pk, copy_id)


def handle_activity(activity: dict, *, actor_url: str, actor_name: str = "") -> bool:
    """See the module docstring; never raises for bad input (it is logged and ignored)."""
    if not isinstance(activity, dict):
        return False
    kind, obj = activity.get("type"), activity.get("object")
    if kind in ("Create", "Update") and isinstance(obj, dict):
        if obj.get("prov:wasDerivedFrom") or obj.get("dct:isVersionOf"):
            _reuse_notice(obj, actor_url, actor_name)
        if kind == "Create" and obj.get("type") in REPLY_TYPES and obj.get("inReplyTo"):
            if "to" not in obj and "cc" not in obj:  # addressed on the activity only
                obj = {**obj, "to": activity.get("to"), "cc": activity.get("cc")}
            try:
                receive_reply(obj, actor_url=actor_url, actor_name=actor_name)
            except ReplyRefused as error:
                logger.info("Fediverse: reply %s not taken: %s", _id(obj), error)
                return False
            return True
        return False
    if kind == "Like":
        return receive_like(_id(obj), actor_url=actor_url, actor_name=actor_name)
    if kind == "Undo" and isinstance(obj, dict) and obj.get("type") == "Like":
        return receive_undo_like(_id(obj.get("object")), actor_url=actor_url)
    if kind == "Delete":
        object_id = _id(obj)
        record_reuse_withdrawn(object_id, actor_url=actor_url)
        return receive_delete(object_id, actor_url=actor_url)
    return False
