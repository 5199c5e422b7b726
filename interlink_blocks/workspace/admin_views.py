"""The one admin screen: staff open a call's process (then work in it on the public site)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from interlink_blocks.models import CallPage

from .services.tree import open_process


@require_http_methods(["GET", "POST"])
def open_call_process(request, page_id):
    """GET asks; POST opens the process (from the call's schema) and goes to its workspace."""
    call = get_object_or_404(CallPage, pk=page_id)
    if not call.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if request.method == "GET":
        return render(request, "interlink_workspace/admin/open.html", {"call": call})
    process = open_process(call, by=request.user)
    messages.success(request, _("The co-production process is open."))
    return redirect("interlink_workspace:overview", process.pk)
