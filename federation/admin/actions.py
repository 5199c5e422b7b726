"""Confirm-then-POST admin views for changes that send an activity, and the blocklist import."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Site

from .. import delivery, publishing, refusals
from ..actors import ActorError, get_local_actor, resolve_target
from ..blocklist import import_domain_blocks
from ..models import (
    Delivery,
    Follower,
    Following,
    FollowState,
    HostHealth,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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
    template_name = "interlink_federation/admin/form.html"
    page_title = _("Follow a municipality")
    header_icon = "site"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _require(request, "interlink_federation.add_following")
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
        return redirect("interlink_federation_following:index")


class ConfirmActionView(WagtailAdminTemplateMixin, TemplateView):
    """GET asks for confirmation; POST performs the action and returns to the listing."""

    template_name = "interlink_federation/admin/confirm.html"
    header_icon = "site"
    model: type[Model]
    permission = ""
    page_title: StrOrPromise = ""
    message: StrOrPromise = ""
    done_message: StrOrPromise = ""
    index_url_name = ""
    action: Callable[..., object]
    queryset_filter: dict[str, Any] = {}

    def get_object(self) -> Any:
        return get_object_or_404(
            self.model._default_manager.filter(**self.queryset_filter), pk=self.kwargs["pk"]
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
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
    permission = "interlink_federation.delete_following"
    page_title = _("Unfollow")
    message = _("Stop following %(object)s? They will be told with Undo.")
    done_message = _("Unfollowed %(object)s.")
    index_url_name = "interlink_federation_following:index"
    action = publishing.unfollow


class ApproveFollowerView(ConfirmActionView):
    model = Follower
    permission = "interlink_federation.change_follower"
    page_title = _("Approve follower")
    message = _("Let %(object)s follow this site? They will receive new calls and assets.")
    done_message = _("Approved %(object)s.")
    index_url_name = "interlink_federation_followers:index"
    action = publishing.accept_follower
    queryset_filter = {"state": FollowState.PENDING}


class RemoveFollowerView(ConfirmActionView):
    model = Follower
    permission = "interlink_federation.delete_follower"
    page_title = _("Remove follower")
    message = _("Remove %(object)s? They will be told with Reject and receive nothing more.")
    done_message = _("Removed %(object)s.")
    index_url_name = "interlink_federation_followers:index"
    action = publishing.reject_follower


class RetryDeliveryView(ConfirmActionView):
    model = Delivery
    permission = "interlink_federation.change_delivery"
    page_title = _("Retry delivery")
    message = _("Send %(object)s again now?")
    done_message = _("Retrying %(object)s now.")
    index_url_name = "interlink_federation_deliveries:index"
    action = delivery.retry_now


class RetryHostView(ConfirmActionView):
    """Lifts a server's pause and makes everything waiting for it due at once."""

    model = HostHealth
    permission = "interlink_federation.change_hosthealth"
    page_title = _("Retry server")
    message = _("Lift the pause of %(object)s and send everything waiting for it now?")
    done_message = _("Retrying everything waiting for %(object)s now.")
    index_url_name = "interlink_federation_hosts:index"
    action = delivery.retry_host_now


class RefusedDeliveriesView(WagtailAdminTemplateMixin, TemplateView):
    """A host's refused deliveries with their activities and the host's answers; POST sends
    them again (``refusals.retry_refused``) for staff who may change deliveries."""

    template_name = "interlink_federation/admin/refused.html"
    header_icon = "warning"
    retry_permission = "interlink_federation.change_delivery"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _require(request, "interlink_federation.view_delivery")
        self.object = get_object_or_404(HostHealth, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return str(_("Refused by %(host)s") % {"host": self.object.host})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            deliveries=refusals.refused(self.object.host)[:200],
            can_retry=self.request.user.has_perm(self.retry_permission),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require(request, self.retry_permission)
        count = refusals.retry_refused(self.object)
        messages.success(
            request,
            _("Sending %(count)s refused deliveries to %(host)s again.")
            % {"count": count, "host": self.object.host},
        )
        return redirect("interlink_federation_hosts:index")


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
    template_name = "interlink_federation/admin/form.html"
    page_title = _("Import a domain blocklist")
    header_icon = "warning"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _require(request, "interlink_federation.add_blockeddomain")
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
        return redirect("interlink_federation_blocked_domains:index")
