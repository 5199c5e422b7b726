"""Catalogue admin views: the listing (without blocked origins) and inspect page offer
"Reuse in my site" (reuse app)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.widgets.button import Button, ListingButton

from .. import integrations
from ..blocking import blocked_actor_ids
from ..models import RemoteObject, RemoteObjectKind

REUSE_LABEL = _("Reuse in my site")


def reuse_link(item: RemoteObject) -> str | None:
    """Only live calls and assets can be reused; ``None`` when reuse is not installed."""
    if item.deleted_at or item.kind not in (RemoteObjectKind.CALL, RemoteObjectKind.ASSET):
        return None
    return integrations.reuse_url(item.uri)


def can_reuse(user: Any) -> bool:
    """Reusing creates a page: editors who may reach the admin (the reuse view checks the
    parent's add permission itself)."""
    return bool(user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


class CatalogueInspectView(InspectView):
    @cached_property
    def header_more_buttons(self) -> list[Any]:
        buttons = list(super().header_more_buttons)
        url = reuse_link(self.object)
        if url and can_reuse(self.request.user):
            buttons.append(Button(REUSE_LABEL, url=url, icon_name="copy", priority=5))
        return buttons


def catalogue_index_view(base: type[IndexView]) -> type[IndexView]:
    """The catalogue's listing: the base index (row actions) plus a reuse button per row."""

    class CatalogueIndexView(base):  # type: ignore[valid-type,misc]
        def get_base_queryset(self) -> QuerySet[RemoteObject]:
            # Items of blocked origins are hidden while the block lasts (the block also
            # marked them deleted; after unblocking they show as deleted, not restored).
            return super().get_base_queryset().exclude(actor_id__in=blocked_actor_ids())

        def get_list_more_buttons(self, instance: Any) -> list[Any]:
            buttons = list(super().get_list_more_buttons(instance))
            url = reuse_link(instance)
            if url and can_reuse(self.request.user):
                buttons.append(ListingButton(REUSE_LABEL, url=url, icon_name="copy", priority=1))
            return buttons

    return CatalogueIndexView
