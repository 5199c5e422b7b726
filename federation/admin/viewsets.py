"""The Federation menu's listings (Wagtail ModelViewSets) and their row actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.models import Site

from ..actors import get_local_actor
from ..delivery import WAITING_STATES
from ..models import (
    BlockedActor,
    BlockedDomain,
    Delivery,
    DeliveryState,
    Follower,
    Following,
    FollowState,
    HostHealth,
    LocalActor,
    RemoteObject,
)
from ..refusals import REFUSED
from .actions import (
    ApproveFollowerView,
    BlocklistImportView,
    FollowView,
    RefusedDeliveriesView,
    RemoveFollowerView,
    RetryDeliveryView,
    RetryHostView,
    UnfollowView,
)
from .catalogue import CatalogueInspectView, catalogue_index_view
from .status import StatusViewSet


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
    # (label, URL name of the confirm view, permission, shown for this row?)
    row_actions: list[tuple[Any, str, str, Callable[[Any], bool]]] = []

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs.update(edit_url_name=None, delete_url_name=None, copy_url_name=None)
        view_kwargs["row_actions"] = self.row_actions
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
    name = "interlink_federation_following"
    url_prefix = "federation/following"
    icon = "site"
    menu_label = _("Following")
    add_url = "new/"
    list_display = ["remote_actor", "local_actor", "state", "created_at"]
    list_filter = ["state"]
    extra_urls = [path("<int:pk>/unfollow/", UnfollowView.as_view(), name="unfollow")]

    row_actions = [
        (
            _("Unfollow"),
            "interlink_federation_following:unfollow",
            "interlink_federation.delete_following",
            lambda row: True,
        )
    ]


class FollowerViewSet(ReadOnlyViewSet):
    model = Follower
    name = "interlink_federation_followers"
    url_prefix = "federation/followers"
    icon = "group"
    menu_label = _("Followers")
    list_display = ["remote_actor", "local_actor", "state", "created_at"]
    list_filter = ["state"]
    extra_urls = [
        path("<int:pk>/approve/", ApproveFollowerView.as_view(), name="approve"),
        path("<int:pk>/remove/", RemoveFollowerView.as_view(), name="remove"),
    ]

    row_actions = [
        (
            _("Approve"),
            "interlink_federation_followers:approve",
            "interlink_federation.change_follower",
            lambda row: row.state == FollowState.PENDING,
        ),
        (
            _("Remove"),
            "interlink_federation_followers:remove",
            "interlink_federation.delete_follower",
            lambda row: True,
        ),
    ]


class CatalogueViewSet(ReadOnlyViewSet):
    model = RemoteObject
    name = "interlink_federation_catalogue"
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
    name = "interlink_federation_deliveries"
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

    row_actions = [
        (
            _("Retry now"),
            "interlink_federation_deliveries:retry",
            "interlink_federation.change_delivery",
            lambda row: (
                row.state in (DeliveryState.RETRYING, DeliveryState.FAILED, DeliveryState.QUEUED)
            ),
        )
    ]


def _when(value: Any) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def host_state(health: HostHealth) -> str:
    """ok / failing since X / paused until Y."""
    if health.paused_until and health.paused_until > timezone.now():
        return gettext("paused until %(time)s") % {"time": _when(health.paused_until)}
    if health.consecutive_failures and health.failing_since:
        return gettext("failing since %(time)s") % {"time": _when(health.failing_since)}
    return gettext("ok")


class HostIndexView(ActionIndexView):
    """One row per server we have delivered to (its failures, its signature scheme)."""

    def get_base_queryset(self) -> QuerySet[HostHealth]:
        waiting = (
            Delivery.objects.filter(host=OuterRef("host"), state__in=WAITING_STATES)
            .order_by()
            .values("host")
            .annotate(count=Count("pk"))
            .values("count")
        )
        refused = (
            Delivery.objects.filter(REFUSED, host=OuterRef("host"))
            .order_by()
            .values("host")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_base_queryset()
            .annotate(
                waiting_count=Coalesce(Subquery(waiting, output_field=IntegerField()), Value(0)),
                refused_count=Coalesce(Subquery(refused, output_field=IntegerField()), Value(0)),
            )
        )


class HostHealthViewSet(ReadOnlyViewSet):
    """Delivery status per server: paused servers are visible and can be resumed."""

    model = HostHealth
    name = "interlink_federation_hosts"
    url_prefix = "federation/hosts"
    icon = "warning"
    menu_label = _("Servers")
    index_view_class = HostIndexView
    list_display = [
        "host",
        Column("state", label=_("State"), accessor=host_state),
        Column("waiting_count", label=_("Waiting deliveries")),
        Column("refused_count", label=_("Refused deliveries")),
        "consecutive_failures",
        "last_error",
        "last_success_at",
        "signature_scheme",
    ]
    extra_urls = [
        path("<int:pk>/retry/", RetryHostView.as_view(), name="retry"),
        path("<int:pk>/refused/", RefusedDeliveriesView.as_view(), name="refused"),
    ]

    row_actions = [
        (
            _("Retry now"),
            "interlink_federation_hosts:retry",
            "interlink_federation.change_hosthealth",
            lambda row: True,
        ),
        (
            _("Refused deliveries"),
            "interlink_federation_hosts:refused",
            "interlink_federation.view_delivery",
            lambda row: getattr(row, "refused_count", 0) > 0,
        ),
    ]


class BlockedDomainViewSet(ModelViewSet):
    model = BlockedDomain
    name = "interlink_federation_blocked_domains"
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
    name = "interlink_federation_blocked_actors"
    url_prefix = "federation/blocked-actors"
    icon = "warning"
    menu_label = _("Blocked actors")
    form_fields = ["uri", "comment"]
    list_display = ["uri", "comment", "created_at"]
    copy_view_enabled = False

    def formfield_for_dbfield(self, db_field: Any, **kwargs: Any) -> Any:
        if db_field.name == "uri":  # actor ids are https; Django 6's default, chosen now
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, **kwargs)


class IdentityIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[LocalActor]:
        # Actors exist on demand; make sure every site has one before listing them.
        for site in Site.objects.exclude(interlink_actor__isnull=False):
            get_local_actor(site)
        return super().get_base_queryset()


class IdentityViewSet(ModelViewSet):
    model = LocalActor
    name = "interlink_federation_identity"
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
        StatusViewSet,
        FollowingViewSet,
        FollowerViewSet,
        CatalogueViewSet,
        DeliveryViewSet,
        HostHealthViewSet,
        BlockedDomainViewSet,
        BlockedActorViewSet,
        IdentityViewSet,
    )


def admin_urls() -> list[Any]:
    return [path("federation/follow/", FollowView.as_view(), name="federation_follow")]
