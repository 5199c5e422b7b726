"""Public pages of the federated catalogue: "from Municipality X" pages linking to the origin."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..admin.catalogue import can_reuse, reuse_link
from ..models import RemoteObject, RemoteObjectKind


def visible_objects():  # type: ignore[no-untyped-def]
    return RemoteObject.objects.filter(deleted_at__isnull=True).exclude(kind=RemoteObjectKind.OTHER)


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    objects = visible_objects().select_related("actor")
    kind = request.GET.get("kind", "")
    if kind in (RemoteObjectKind.CALL, RemoteObjectKind.ASSET):
        objects = objects.filter(kind=kind)
    page = Paginator(objects, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "interlink_federation/catalogue.html",
        {"page_obj": page, "kind": kind, "kinds": [RemoteObjectKind.CALL, RemoteObjectKind.ASSET]},
    )


@require_GET
def remote_object(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(visible_objects().select_related("actor"), pk=pk)
    # A staff action: anonymous visitors and citizens never see it.
    reuse_url = reuse_link(item) if can_reuse(request.user) else None
    return render(
        request, "interlink_federation/remote_object.html", {"item": item, "reuse_url": reuse_url}
    )
