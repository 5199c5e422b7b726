"""The Federation menu's listings (Wagtail ModelViewSets) and their row actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.models import Site

from ..actors import get_local_actor
from ..models import (
    BlockedActor,
    BlockedDomain,
    Delivery,
    DeliveryState,
    Follower,
    Following,
    FollowState,
    LocalActor,
    RemoteObject,
)
from .actions import (
    ApproveFollowerView,
    BlocklistImportView,
    FollowView,
    RemoveFollowerView,
    RetryDeliveryView,
    UnfollowView,
)
from .catalogue import CatalogueInspectView, catalogue_index_view


class ActionIndexView(IndexView):
    """An index whose rows carry action buttons (links to confirm views)."""

    row_actions: list[tuple[str, str, str, Callable[[Any], bool]]] = []

    def get_list_more_buttons(self, instance: Any) -> list[Any]:
        buttons = list(super().get_list_more_buttons(instance))
        for label, url_name, permission, condition in self.row_actions:
            if condition(instance) and self.request.user.has_perm(permission):
                buttons.append(
                    ListingButton(label, url=reverse(url_name, args=[instance.pk]), priority=5)
                )
        return buttons


class ReadOnlyViewSet(ModelViewSet):
    """Listing and inspect only; changes go through the action views."""

    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = ActionIndexView
    extra_urls: list[Any] = []
    add_url: str | None = None

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs.update(edit_url_name=None, delete_url_name=None, copy_url_name=None)
        if self.add_url is None:
            view_kwargs["add_url_name"] = None
        return view_kwargs

    def get_inspect_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        # No edit/delete routes here: the inspect page must not link to (reverse) them.
        view_kwargs = super().get_inspect_view_kwargs(**kwargs)
        view_kwargs.update(edit_url_name=None, delete_url_name=None)
        return view_kwargs

    def get_urlpatterns(self) -> list[Any]:
        patterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<str:pk>/", self.inspect_view, name="inspect"),
        ]
        if self.add_url is not None:
            patterns.append(path("new/", FollowView.as_view(), name="add"))
        return patterns + self.extra_urls


class FollowingViewSet(ReadOnlyViewSet):
    model = Following
    name = "federation_following"
    url_prefix = "federation/following"
    icon = "site"
    menu_label = _("Following")
    add_url = "new/"
    list_display = ["remote_actor", "local_actor", "state", "created_at"]
    list_filter = ["state"]
    extra_urls = [path("<int:pk>/unfollow/", UnfollowView.as_view(), name="unfollow")]

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs["row_actions"] = [
            (
                _("Unfollow"),
                "federation_following:unfollow",
                "federation.delete_following",
                lambda row: True,
            )
        ]
        return view_kwargs


class FollowerViewSet(ReadOnlyViewSet):
    model = Follower
    name = "federation_followers"
    url_prefix = "federation/followers"
    icon = "group"
    menu_label = _("Followers")
    list_display = ["remote_actor", "local_actor", "state", "created_at"]
    list_filter = ["state"]
    extra_urls = [
        path("<int:pk>/approve/", ApproveFollowerView.as_view(), name="approve"),
        path("<int:pk>/remove/", RemoveFollowerView.as_view(), name="remove"),
    ]

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs["row_actions"] = [
            (
                _("Approve"),
                "federation_followers:approve",
                "federation.change_follower",
                lambda row: row.state == FollowState.PENDING,
            ),
            (
                _("Remove"),
                "federation_followers:remove",
                "federation.delete_follower",
                lambda row: True,
            ),
        ]
        return view_kwargs


class CatalogueViewSet(ReadOnlyViewSet):
    model = RemoteObject
    name = "federation_catalogue"
    url_prefix = "federation/catalogue"
    icon = "doc-full"
    menu_label = _("Federated catalogue")
    index_view_class = catalogue_index_view(ActionIndexView)
    inspect_view_class = CatalogueInspectView
    list_display = ["name", "kind", "actor", "updated", "deleted_at"]
    list_filter = ["kind", "actor", "deleted_at"]
    search_fields = ["name", "summary"]
    inspect_view_fields = [
        "name",
        "kind",
        "actor",
        "summary",
        "url",
        "language",
        "tags",
        "fields",
        "published",
        "updated",
        "deleted_at",
    ]


class DeliveryViewSet(ReadOnlyViewSet):
    model = Delivery
    name = "federation_deliveries"
    url_prefix = "federation/deliveries"
    icon = "mail"
    menu_label = _("Deliveries")
    list_display = [
        "inbox",
        "activity",
        "state",
        "attempts",
        "first_failed_at",
        "next_attempt_at",
        "last_status",
    ]
    list_filter = ["state", "host"]
    extra_urls = [path("<int:pk>/retry/", RetryDeliveryView.as_view(), name="retry")]

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs["row_actions"] = [
            (
                _("Retry now"),
                "federation_deliveries:retry",
                "federation.change_delivery",
                lambda row: (
                    row.state
                    in (DeliveryState.RETRYING, DeliveryState.FAILED, DeliveryState.QUEUED)
                ),
            )
        ]
        return view_kwargs


class BlockedDomainViewSet(ModelViewSet):
    model = BlockedDomain
    name = "federation_blocked_domains"
    url_prefix = "federation/blocked-domains"
    icon = "warning"
    menu_label = _("Blocked domains")
    form_fields = ["domain", "severity", "public_comment"]
    list_display = ["domain", "severity", "public_comment", "created_at"]
    list_filter = ["severity"]
    copy_view_enabled = False

    def get_urlpatterns(self) -> list[Any]:
        return [
            *super().get_urlpatterns(),
            path("import/", BlocklistImportView.as_view(), name="import"),
        ]


class BlockedActorViewSet(ModelViewSet):
    model = BlockedActor
    name = "federation_blocked_actors"
    url_prefix = "federation/blocked-actors"
    icon = "warning"
    menu_label = _("Blocked actors")
    form_fields = ["uri", "comment"]
    list_display = ["uri", "comment", "created_at"]
    copy_view_enabled = False


class IdentityIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[LocalActor]:
        # Actors exist on demand; make sure every site has one before listing them.
        for site in Site.objects.exclude(federation_actor__isnull=False):
            get_local_actor(site)
        return super().get_base_queryset()


class IdentityViewSet(ModelViewSet):
    model = LocalActor
    name = "federation_identity"
    url_prefix = "federation/identity"
    icon = "user"
    menu_label = _("Node identity")
    form_fields = ["username", "summary", "manually_approves_followers"]
    list_display = ["__str__", "site", "manually_approves_followers"]
    index_view_class = IdentityIndexView
    copy_view_enabled = False

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_index_view_kwargs(**kwargs),
            "add_url_name": None,
            "delete_url_name": None,
        }


class FederationViewSetGroup(ViewSetGroup):
    menu_label = _("Federation")
    menu_icon = "site"
    menu_order = 250
    items = (
        FollowingViewSet,
        FollowerViewSet,
        CatalogueViewSet,
        DeliveryViewSet,
        BlockedDomainViewSet,
        BlockedActorViewSet,
        IdentityViewSet,
    )


def admin_urls() -> list[Any]:
    return [path("federation/follow/", FollowView.as_view(), name="federation_follow")]
