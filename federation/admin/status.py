"""The Federation menu's status page: is federation flowing, and if not, where it is stuck.

Paused hosts, each worker's last heartbeat, the oldest delivery that is due but not sent,
and the inbox backlog (``recovery.status``), for staff who may see deliveries.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from .. import recovery
from ..conf import setting


class StatusView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "interlink_federation/admin/status.html"
    page_title = _("Federation status")
    header_icon = "pick"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm("interlink_federation.view_delivery"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        current = recovery.status()
        now = current["now"]
        ready, _detail = recovery.readiness()
        oldest = current["oldest_due_delivery"]
        message = current["oldest_inbox_message"]
        return {
            **super().get_context_data(**kwargs),
            **current,
            "ready": ready,
            "stuck_for": (now - oldest).total_seconds() if oldest else None,
            "inbox_waiting_for": (now - message).total_seconds() if message else None,
            "stale_after": setting("FEDERATION_WORKER_STALE_AFTER"),
        }


class StatusViewSet(ViewSet):
    name = "interlink_federation_status"
    url_prefix = "federation/status"
    icon = "pick"
    menu_label = _("Status")

    def get_urlpatterns(self) -> list[Any]:
        return [path("", StatusView.as_view(), name="index")]
