"""The Federation admin menu: follows, followers, catalogue, deliveries, blocklists, identity.

Wagtail ``ModelViewSet``s list the rows (with Wagtail's filters and permissions); state
changes that must send an activity (follow, unfollow, approve, remove, retry) go through
small confirm-then-POST views that call the services in ``publishing`` and ``delivery``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.models import Site

from . import delivery, publishing
from .actors import ActorError, get_local_actor, resolve_target
from .blocklist import import_domain_blocks
from .catalogue_admin import CatalogueInspectView, catalogue_index_view
from .models import (
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


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


class FollowForm(forms.Form):
    target = forms.CharField(
        label=_("Municipality"),
        max_length=500,
        help_text=_("A handle such as @city@example.org, or the address of its actor."),
    )
    site = forms.ModelChoiceField(
        label=_("Follow as"), queryset=Site.objects.all(), required=False, empty_label=None
    )


class FollowView(WagtailAdminTemplateMixin, FormView):
    """Follow by handle (WebFinger) or URL; errors are shown and nothing is saved."""

    form_class = FollowForm
    template_name = "federation/admin/form.html"
    page_title = _("Follow a municipality")
    header_icon = "site"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require(request, "federation.add_following")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"site": Site.objects.filter(is_default_site=True).first()}

    def form_valid(self, form: FollowForm) -> HttpResponse:
        site = form.cleaned_data["site"] or Site.objects.get(is_default_site=True)
        actor = get_local_actor(site)
        try:
            remote = resolve_target(form.cleaned_data["target"], via=actor)
        except ActorError as error:
            form.add_error(
                "target", _("Could not find that municipality: %(error)s") % {"error": error}
            )
            return self.form_invalid(form)
        if remote.uri == actor.actor_id:
            form.add_error("target", _("That is this site itself."))
            return self.form_invalid(form)
        following = publishing.follow(actor, remote)
        messages.success(
            self.request,
            _("Follow request sent to %(actor)s (%(state)s).")
            % {"actor": remote.display_name, "state": following.get_state_display()},
        )
        return redirect("federation_following:index")


class ConfirmActionView(WagtailAdminTemplateMixin, TemplateView):
    """GET asks for confirmation; POST performs the action and returns to the listing."""

    template_name = "federation/admin/confirm.html"
    header_icon = "site"
    model: type[Model]
    permission = ""
    message = ""
    done_message = ""
    index_url_name = ""
    action: Callable[..., None]
    queryset_filter: dict[str, Any] = {}

    def get_object(self) -> Any:
        return get_object_or_404(
            self.model.objects.filter(**self.queryset_filter), pk=self.kwargs["pk"]
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require(request, self.permission)
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return str(self.page_title)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "object": self.object,
                "message": self.message % {"object": self.object},
                "cancel_url": reverse(self.index_url_name),
            }
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        type(self).action(self.object)
        messages.success(request, self.done_message % {"object": self.object})
        return redirect(self.index_url_name)


class UnfollowView(ConfirmActionView):
    model = Following
    permission = "federation.delete_following"
    page_title = _("Unfollow")
    message = _("Stop following %(object)s? They will be told with Undo.")
    done_message = _("Unfollowed %(object)s.")
    index_url_name = "federation_following:index"
    action = publishing.unfollow


class ApproveFollowerView(ConfirmActionView):
    model = Follower
    permission = "federation.change_follower"
    page_title = _("Approve follower")
    message = _("Let %(object)s follow this site? They will receive new calls and assets.")
    done_message = _("Approved %(object)s.")
    index_url_name = "federation_followers:index"
    action = publishing.accept_follower
    queryset_filter = {"state": FollowState.PENDING}


class RemoveFollowerView(ConfirmActionView):
    model = Follower
    permission = "federation.delete_follower"
    page_title = _("Remove follower")
    message = _("Remove %(object)s? They will be told with Reject and receive nothing more.")
    done_message = _("Removed %(object)s.")
    index_url_name = "federation_followers:index"
    action = publishing.reject_follower


class RetryDeliveryView(ConfirmActionView):
    model = Delivery
    permission = "federation.change_delivery"
    page_title = _("Retry delivery")
    message = _("Send %(object)s again now?")
    done_message = _("Retrying %(object)s now.")
    index_url_name = "federation_deliveries:index"
    action = delivery.retry_now


class BlocklistImportForm(forms.Form):
    csv_file = forms.FileField(
        label=_("Blocklist (CSV)"),
        help_text=_("Mastodon's format: #domain,#severity,#reject_media,… or one domain per line."),
    )

    def clean_csv_file(self) -> str:
        upload = self.cleaned_data["csv_file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error


class BlocklistImportView(WagtailAdminTemplateMixin, FormView):
    form_class = BlocklistImportForm
    template_name = "federation/admin/form.html"
    page_title = _("Import a domain blocklist")
    header_icon = "warning"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require(request, "federation.add_blockeddomain")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "multipart": True}

    def form_valid(self, form: BlocklistImportForm) -> HttpResponse:
        result = import_domain_blocks(form.cleaned_data["csv_file"])
        messages.success(
            self.request,
            _("%(created)s domains blocked, %(updated)s updated, %(skipped)s rows skipped.")
            % {
                "created": result.created,
                "updated": result.updated,
                "skipped": len(result.skipped),
            },
        )
        return redirect("federation_blocked_domains:index")


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
