"""The admin screens: staff open a call's process (then work in it on the public site), and
close the loop when its Sustain phase is done."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from interlink_blocks.models import AssetIndexPage, CallPage, StoryIndexPage

from .forms import OutcomeForm
from .models import Process
from .services import outcome as service
from .services.tree import has_plan, open_process


@require_http_methods(["GET", "POST"])
def open_call_process(request, page_id):
    """GET asks; POST opens the process (from the call's schema) and goes to its workspace.
    A call without a plan is opened with INTERLINK's default plan only if the editor ticks
    it here, as on the call's own form."""
    call = get_object_or_404(CallPage, pk=page_id)
    if not call.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if request.method == "GET":
        context = {"call": call, "has_plan": has_plan(call)}
        return render(request, "interlink_workspace/admin/open.html", context)
    default_plan = request.POST.get("default_plan") == "1"
    process = open_process(call, by=request.user, default_plan=default_plan)
    messages.success(request, _("The co-production process is open."))
    return redirect("interlink_workspace:overview", process.pk)


@require_http_methods(["GET", "POST"])
def publish_outcome(request, process_id):
    """Staff who may edit the call publish the chosen resources as assets and draft the
    success story; Wagtail's page permissions decide where they may add and publish."""
    process = get_object_or_404(Process.objects.select_related("call", "story"), pk=process_id)
    call = process.call
    if not call.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    story_parents = service.parents_for(request.user, StoryIndexPage)
    asset_parents = service.parents_for(request.user, AssetIndexPage)
    resources = list(service.publishable(process))
    ready = service.sustain_done(process) and story_parents and asset_parents
    form = OutcomeForm(
        request.POST if request.method == "POST" else None,
        story_parents=story_parents,
        asset_parents=asset_parents,
        resources=resources,
        initial={"resources": [r.pk for r in resources]},
    )
    context = {
        "call": call,
        "process": process,
        "form": form,
        "sustain_done": service.sustain_done(process),
        "story_parents": story_parents,
        "asset_parents": asset_parents,
    }
    if request.method == "POST":
        if not ready or not form.is_valid():
            return render(request, "interlink_workspace/admin/outcome.html", context, status=400)
        data = form.cleaned_data
        chosen = [r for r in resources if r.pk in set(data["resources"])]
        result = service.publish_outcome(
            process,
            request.user,
            story_parent=next(p for p in story_parents if p.pk == data["story_parent"]),
            asset_parent=next(p for p in asset_parents if p.pk == data["asset_parent"]),
            resources=chosen,
            form=data["form"],
            licence=data["licence"],
        )
        if result.drafts:
            messages.warning(
                request,
                _("You may not publish under that index: the assets were saved as drafts."),
            )
        messages.success(request, _("The outcome is ready: edit the success story and publish it."))
        return redirect("wagtailadmin_pages:edit", result.story.pk)
    return render(request, "interlink_workspace/admin/outcome.html", context)
