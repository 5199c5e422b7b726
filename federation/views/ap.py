"""ActivityPub documents: actor, WebFinger, NodeInfo, collections, objects, context."""

from __future__ import annotations

import json
import uuid as uuid_module
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.models import PageViewRestriction

from interlink_blocks.models import CallPage

from .. import integrations, serialisers
from ..actors import local_actor_for_request
from ..models import Follower, Following, FollowState, LocalActor, OutboxActivity
from ..publishing import is_public, last_object_activity
from .negotiation import activity_response

PAGE_SIZE = 20


def _actor(request: HttpRequest) -> LocalActor:
    actor = local_actor_for_request(request)
    if actor is None:
        raise Http404("No site here")
    return actor


def icon_url(actor: LocalActor) -> str:
    return actor.base_url + static("interlink_federation/icon.png")


@require_GET
def actor_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return activity_response(request, serialisers.actor_to_ap(actor, icon_url(actor)))


@require_GET
def webfinger(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    resource = request.GET.get("resource", "")
    accepted = {f"acct:{actor.username}@{actor.host}", actor.actor_id, actor.base_url + "/"}
    if not resource:
        return JsonResponse({"error": "resource is required"}, status=400)
    if resource not in accepted:
        # RFC 7033 §4.2: 404 for a resource the server has no information about. A JSON
        # body, as for a bad request, since WebFinger clients read JSON, not a themed page.
        response = JsonResponse({"error": "unknown resource"}, status=404)
        response["Access-Control-Allow-Origin"] = "*"
        return response
    response = JsonResponse(serialisers.webfinger(actor), content_type="application/jrd+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def nodeinfo_links(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return JsonResponse(
        {
            "links": [
                {
                    "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                    "href": f"{actor.base_url}/nodeinfo/2.1",
                }
            ]
        }
    )


@require_GET
def nodeinfo(request: HttpRequest) -> HttpResponse:
    from importlib.metadata import PackageNotFoundError, version

    actor = _actor(request)
    try:
        software_version = version("interlink")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout
        software_version = "0"
    posts = sum(model.objects.live().public().count() for model in serialisers.federated_models())
    document = serialisers.nodeinfo(software_version, LocalActor.objects.count(), posts, actor.name)
    return JsonResponse(
        document,
        content_type='application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"',
    )


def each(to_item: Callable[[Any], Any]) -> Callable[[list[Any]], list[Any]]:
    """``_paged``'s mapping for collections whose rows map one by one."""
    return lambda rows: [to_item(row) for row in rows]


def _paged(
    request: HttpRequest,
    collection_id: str,
    queryset: QuerySet[Any],
    to_items: Callable[[list[Any]], list[Any]],
) -> HttpResponse:
    """A paged ``OrderedCollection``; ``to_items`` maps a whole page of rows at once (so it
    can batch its queries, and may leave rows out)."""
    page_param = request.GET.get("page")
    total = queryset.count()
    if page_param is None:
        first = f"{collection_id}?page=1" if total else None
        return activity_response(
            request, serialisers.ordered_collection(collection_id, total, first)
        )
    try:
        number = int(page_param)
    except ValueError:
        return JsonResponse({"error": "page must be a whole number"}, status=400)
    if number < 1:
        return JsonResponse({"error": "pages are numbered from 1"}, status=400)
    # Past the last page (page 1 of an empty collection exists): 404, and no query with an
    # offset the database cannot hold.
    if number > max(1, -(-total // PAGE_SIZE)):
        raise Http404("No such page")
    start = (number - 1) * PAGE_SIZE
    items = to_items(list(queryset[start : start + PAGE_SIZE]))
    next_id = f"{collection_id}?page={number + 1}" if start + PAGE_SIZE < total else None
    prev_id = f"{collection_id}?page={number - 1}" if number > 1 else None
    document = serialisers.ordered_collection_page(
        collection_id, f"{collection_id}?page={number}", items, next_id, prev_id
    )
    return activity_response(request, document)


CONTENT_ACTIVITY_TYPES = ("Create", "Update")


def _later_delete() -> Exists:
    """A Delete of the same object sent after this activity."""
    return Exists(
        OutboxActivity.objects.filter(
            local_actor=OuterRef("local_actor"),
            object_uri=OuterRef("object_uri"),
            activity_type="Delete",
            pk__gt=OuterRef("pk"),
        )
    )


def served_activities(actor: LocalActor) -> QuerySet[OutboxActivity]:
    """The public activities the outbox lists: a Create or Update whose object was deleted
    afterwards is left out (the Delete, with its Tombstone, stays), so what was withdrawn
    does not keep leaving the node through old activities."""
    return (
        OutboxActivity.objects.filter(local_actor=actor, public=True)
        .alias(superseded=_later_delete())
        .exclude(activity_type__in=CONTENT_ACTIVITY_TYPES, superseded=True)
        .order_by("-created_at", "-pk")
    )


def _restricted_paths() -> list[str]:
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def objects_not_public_now(actor: LocalActor, object_uris: Iterable[str]) -> set[str]:
    """Which of our object URIs name a page that is no longer public (unpublished, private,
    deleted), whether or not a Delete was recorded: the last line of defence of the outbox
    and activity views. Three queries for a whole outbox page."""
    prefix = actor.object_url("")
    wanted: dict[uuid_module.UUID, str] = {}
    for uri in object_uris:
        if not uri.startswith(prefix):
            continue
        try:
            wanted[uuid_module.UUID(uri[len(prefix) :])] = uri
        except ValueError:
            continue
    if not wanted:
        return set()
    public: set[str] = set()
    restricted = _restricted_paths()
    for model in serialisers.federated_models():
        rows = model.objects.filter(uuid__in=list(wanted)).values_list("uuid", "live", "path")
        for page_uuid, live, path in rows:
            if live and not any(path.startswith(prefix_path) for prefix_path in restricted):
                public.add(wanted[page_uuid])
    return set(wanted.values()) - public


def _outbox_items(actor: LocalActor, rows: list[OutboxActivity]) -> list[Any]:
    withdrawn = objects_not_public_now(
        actor,
        {row.object_uri for row in rows if row.activity_type in CONTENT_ACTIVITY_TYPES},
    )
    return [
        row.document
        for row in rows
        if not (row.activity_type in CONTENT_ACTIVITY_TYPES and row.object_uri in withdrawn)
    ]


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return _paged(
        request,
        actor.outbox_url,
        served_activities(actor),
        lambda rows: _outbox_items(actor, rows),
    )


@require_GET
def followers(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    rows = (
        Follower.objects.filter(local_actor=actor, state=FollowState.ACCEPTED)
        .select_related("remote_actor")
        .order_by("-created_at", "-pk")
    )
    return _paged(request, actor.followers_url, rows, each(lambda row: row.remote_actor.uri))


@require_GET
def following(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    rows = (
        Following.objects.filter(local_actor=actor, state=FollowState.ACCEPTED)
        .select_related("remote_actor")
        .order_by("-created_at", "-pk")
    )
    return _paged(request, actor.following_url, rows, each(lambda row: row.remote_actor.uri))


def public_page_by_uuid(uuid: str) -> Any | None:
    for model in serialisers.federated_models():
        page = model.objects.filter(uuid=uuid).first()
        if page is not None:
            return page
    return None


@require_GET
def object_view(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = _actor(request)
    page = public_page_by_uuid(uuid)
    if page is not None and is_public(page) and page.get_site() == actor.site:
        document = serialisers.page_to_ap(page, actor)
        if document is None:  # not reached: public_page_by_uuid finds federated pages only
            raise Http404
        if origin := integrations.origin_actor_url(page):  # as published: the origin in cc
            document["cc"] = [*document["cc"], origin]
        return activity_response(request, document)
    last = last_object_activity(actor.object_url(uuid))
    if last is not None and last.activity_type == "Delete":
        tombstone = {"@context": serialisers.AS_CONTEXT, **last.document["object"]}
        return activity_response(request, tombstone, status=410)
    raise Http404("No such object")


@require_GET
def replies_view(request: HttpRequest, uuid: str) -> HttpResponse:
    """A public call's ``replies``: its approved contributions (participation app, if installed)."""
    actor = _actor(request)
    page = CallPage.objects.filter(uuid=uuid).first()
    if page is None or not is_public(page) or page.get_site() != actor.site:
        raise Http404("No such call")
    contributions = integrations.approved_contributions(page)
    if contributions is None:  # without participation the collection is simply empty
        contributions = OutboxActivity.objects.none()
    object_id, call_url = actor.object_url(page.uuid), serialisers.page_url(page, actor)
    return _paged(
        request,
        serialisers.replies_url(actor, page),
        contributions,
        each(lambda row: serialisers.contribution_item(row, object_id, call_url, actor)),
    )


@require_GET
def activity_view(request: HttpRequest, uuid: str) -> HttpResponse:
    """An activity we sent; a Create/Update of an object deleted since (or no longer public)
    answers 410 with a Tombstone instead of the content it carried."""
    actor = _actor(request)
    activity = (
        OutboxActivity.objects.filter(local_actor=actor, uuid=uuid, public=True)
        .annotate(superseded=_later_delete())
        .first()
    )
    if activity is None:
        raise Http404("No such activity")
    if activity.activity_type in CONTENT_ACTIVITY_TYPES and (
        activity.superseded or objects_not_public_now(actor, [activity.object_uri])
    ):
        deleted = (
            OutboxActivity.objects.filter(
                local_actor=actor,
                object_uri=activity.object_uri,
                activity_type="Delete",
                pk__gt=activity.pk,
            )
            .order_by("pk")
            .values_list("created_at", flat=True)
            .first()
        )
        tombstone = {
            "@context": serialisers.AS_CONTEXT,
            **serialisers.tombstone(
                activity.activity_id,
                former_type=activity.activity_type,
                deleted=deleted or timezone.now(),
            ),
        }
        return activity_response(request, tombstone, status=410)
    return activity_response(request, activity.document)


@require_GET
def context_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    response = HttpResponse(
        json.dumps(serialisers.context_document(actor)), content_type="application/ld+json"
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=86400"
    return response
