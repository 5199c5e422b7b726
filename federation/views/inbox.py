"""The inbox (personal and shared): check, store, answer 202 — handling happens later.

Order matters: size and content type first (cheap), then the JSON shape, then the
signature's form, then every check that needs no key — the blocklist, the consistency of
activity, object and key hosts with the actor, whether the actor or its host has used up
its budget — and only then the signature itself, whose key lookup may fetch and store the
sender's actor; a verified request is counted against the budgets (``budgets``) before it
is stored. So any rejection changes nothing: no row written, no request sent.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from interlink_blocks import safejson

from .. import budgets, signatures
from ..actors import local_actor_for_request, lookup_key
from ..blocklist import is_blocked
from ..conf import setting
from ..models import InboxMessage

logger = logging.getLogger(__name__)

ACCEPTED_TYPES = ("application/activity+json", "application/ld+json", "application/json")
# Activities whose object must live on the actor's own host. Not Announce: a boost names
# someone else's object (stored and ignored by the handlers).
OBJECT_OWNING_TYPES = {"Create", "Update", "Delete"}


class Rejection(Exception):
    def __init__(self, status: int, reason: str, retry_after: int = 0) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.retry_after = retry_after


def _host(uri: str) -> str:
    try:
        return signatures.authority(uri)
    except ValueError:  # e.g. "http://[::1": a host no one has, so matching none
        return ""


def _is_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def _id_of(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return value if isinstance(value, str) else ""


def read_body(request: HttpRequest) -> bytes:
    limit = int(setting("FEDERATION_INBOX_MAX_BYTES"))
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > limit:
        raise Rejection(413, f"Bodies over {limit} bytes are refused.")
    body = request.body
    if len(body) > limit:
        raise Rejection(413, f"Bodies over {limit} bytes are refused.")
    content_type = request.content_type or ""
    if content_type.lower() not in ACCEPTED_TYPES:
        raise Rejection(415, "Send application/activity+json.")
    return body


def parse_activity(body: bytes) -> dict[str, Any]:
    try:
        activity = safejson.loads(body)
    except safejson.TooDeep as error:
        raise Rejection(400, f"The body is {error}.") from error
    except ValueError as error:
        raise Rejection(400, "The body is not JSON.") from error
    if not isinstance(activity, dict):
        raise Rejection(400, "The body is not an activity object.")
    for key in ("id", "type", "actor"):
        value = activity.get(key) if key != "actor" else _id_of(activity.get("actor"))
        if not isinstance(value, str) or not value:
            raise Rejection(400, f"The activity has no {key}.")
    if not _is_http_url(activity["id"]):
        raise Rejection(400, "The activity id is not an http(s) URL.")
    if not _is_http_url(_id_of(activity["actor"])):
        raise Rejection(400, "The actor is not an http(s) URL.")
    return activity


def check_consistency(activity: dict[str, Any], actor_id: str) -> None:
    """Activity and embedded objects must be the actor's own, on the actor's host.

    Needs no key, so it runs before the signature is verified (which may fetch the key).
    """
    if _host(activity["id"]) != _host(actor_id):
        raise Rejection(403, "The activity id is not on the actor's host.")
    obj = activity.get("object")
    if activity["type"] in OBJECT_OWNING_TYPES:
        object_id = _id_of(obj)
        if object_id and object_id != actor_id and _host(object_id) != _host(actor_id):
            raise Rejection(403, "The object is not on the actor's host.")
        if isinstance(obj, dict):
            author = _id_of(obj.get("attributedTo"))
            if author and author != actor_id:
                raise Rejection(403, "The object is attributed to another actor.")
    if activity["type"] == "Undo":
        # Only one's own activities can be undone: the undone activity is the actor's and
        # lives on the actor's host (whether embedded or named by id).
        undone_id = _id_of(obj)
        if undone_id and _host(undone_id) != _host(actor_id):
            raise Rejection(403, "Undo of another actor's activity.")
        inner_actor = _id_of(obj.get("actor")) if isinstance(obj, dict) else ""
        if inner_actor and inner_actor != actor_id:
            raise Rejection(403, "Undo of another actor's activity.")


def request_headers(request: HttpRequest) -> dict[str, str]:
    headers = {name.lower(): value for name, value in request.headers.items()}
    headers.setdefault("host", request.get_host())
    return headers


def check_signature_form(headers: dict[str, str], method: str) -> signatures.ParsedSignature:
    """Signature present, well formed and covering what it must (no key needed)."""
    try:
        parsed = signatures.parse(headers)
        signatures.check_components(parsed, method)
    except signatures.SignatureError as error:
        raise Rejection(error.status, str(error)) from error
    return parsed


def check_sender(parsed: signatures.ParsedSignature, activity: dict[str, Any]) -> None:
    """Everything about the sender that needs no key: blocklist, hosts of activity, objects
    and key. Runs before ``verify`` so a refused request fetches and stores nothing."""
    actor_id = _id_of(activity.get("actor"))
    if is_blocked(actor_id, parsed["key_id"]):
        raise Rejection(403, "This server or actor is blocked.")
    check_consistency(activity, actor_id)
    try:
        signatures.check_key_host(parsed["key_id"], actor_id)
    except signatures.SignatureError as error:
        raise Rejection(error.status, str(error)) from error


def check_budget(request: HttpRequest, activity: dict[str, Any], count: bool) -> None:
    """429 once the actor or its host has used up its inbox budget; ``count`` (after the
    signature is verified) counts this delivery."""
    actor_id = _id_of(activity.get("actor"))
    verdict = (budgets.hit if count else budgets.peek)(request, actor_id)
    if not verdict.allowed:
        raise Rejection(429, "Too many activities from this actor or host.", verdict.retry_after)


def verify(
    request: HttpRequest,
    headers: dict[str, str],
    body: bytes,
    parsed: signatures.ParsedSignature,
    activity: dict[str, Any],
) -> None:
    """Freshness, digest, then the signature with the sender's key (may fetch it, once)."""
    local = local_actor_for_request(request)
    try:
        owner = signatures.verify_request(
            request.method or "POST",
            request.build_absolute_uri(),
            headers,
            body,
            lambda key_id, refresh: lookup_key(key_id, refresh, via=local),
            window=int(setting("FEDERATION_SIGNATURE_WINDOW")),
        )
        signatures.check_key_owner(owner, parsed["key_id"], _id_of(activity.get("actor")))
    except signatures.SignatureError as error:
        raise Rejection(error.status, str(error)) from error


def store(activity: dict[str, Any]) -> None:
    """One INSERT: the row is the durable queue record; a backlog task handles it soon.

    In autocommit (a request) the INSERT is one statement that has committed, durably,
    before the view answers 202: no BEGIN/COMMIT round trips around it. A duplicate activity
    id fails on the unique constraint and changes nothing. Inside a caller's transaction
    (tests) a savepoint keeps that transaction usable after a duplicate.
    """
    from ..tasks import wake_inbox_worker

    message = InboxMessage(
        activity_id=activity["id"][:500],
        activity_type=str(activity["type"])[:64],
        actor_uri=_id_of(activity["actor"])[:500],
        body=activity,
    )
    try:
        if connection.in_atomic_block:
            with transaction.atomic():
                message.save(force_insert=True)
        else:
            message.save(force_insert=True)
    except IntegrityError:
        logger.info("Inbox: duplicate %s ignored", activity["id"])
        return
    logger.debug("Inbox: stored %s as message %s", activity["id"], message.pk)
    transaction.on_commit(wake_inbox_worker)


@csrf_exempt
@require_POST
def inbox(request: HttpRequest) -> HttpResponse:
    try:
        body = read_body(request)
        activity = parse_activity(body)
        headers = request_headers(request)
        parsed = check_signature_form(headers, request.method or "POST")
        check_sender(parsed, activity)
        check_budget(request, activity, count=False)
        verify(request, headers, body, parsed, activity)
        check_budget(request, activity, count=True)
    except Rejection as rejection:
        logger.info("Inbox: refused (%s) %s", rejection.status, rejection.reason)
        response = JsonResponse({"error": rejection.reason}, status=rejection.status)
        if rejection.retry_after:
            response["Retry-After"] = str(rejection.retry_after)
        return response
    store(activity)
    return HttpResponse(status=202)
