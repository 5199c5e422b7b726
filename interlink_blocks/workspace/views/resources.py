"""Resources on tasks: add documents, links and working copies of assets; new versions;
downloads that check access every time and are never rendered inline."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from interlink_blocks.models import AssetPage

from ..forms import LinkForm, UploadForm, VersionForm
from ..models import Resource, ResourceKind, Task
from ..services import resources as service
from .common import forbidden, page, workspace_view


def _task(process, task_id):
    return get_object_or_404(
        Task.objects.select_related("objective__phase"), process=process, pk=task_id
    )


@workspace_view("view", post_needs="contribute")
def add(request, process, access, task_id):
    """The forms to attach a document, a link or a working copy of an asset to a task."""
    task = _task(process, task_id)
    if request.method == "POST" and not access.can_edit_task(task):
        return forbidden(request, process, access)
    action = request.POST.get("action")
    upload = UploadForm(
        request.POST if action == "upload" else None,
        request.FILES if action == "upload" else None,
        staff=access.is_staff,
    )
    link = LinkForm(request.POST if action == "link" else None)
    if upload.is_bound and upload.is_valid():
        data = upload.cleaned_data
        resource = service.add_upload(
            task, data["name"], data["description"], data["file"], request.user
        )
        messages.success(request, _("The document was added."))
        return redirect("interlink_workspace:resource", process.pk, resource.pk)
    if link.is_bound and link.is_valid():
        data = link.cleaned_data
        service.add_link(task, data["name"], data["url"], data["description"], request.user)
        messages.success(request, _("The link was added."))
        return redirect("interlink_workspace:task", process.pk, task.pk)
    if action == "asset":
        asset = AssetPage.objects.live().public().filter(pk=request.POST.get("asset") or 0).first()
        if asset is None:
            raise Http404
        resource = service.add_working_copy(task, asset, request.user)
        messages.success(request, _("A working copy of the asset was added."))
        return redirect("interlink_workspace:resource", process.pk, resource.pk)
    query = request.GET.get("q", "")[:100]
    return page(
        request,
        "interlink_workspace/resource_add.html",
        process,
        access,
        {
            "task": task,
            "upload_form": upload,
            "link_form": link,
            "query": query,
            "recommended": service.recommended_assets(task, query),
        },
        [upload, link],
    )


@workspace_view("view", post_needs="contribute")
def resource(request, process, access, resource_id):
    """A resource, its versions, and (for uploads) the form for a new version."""
    item = get_object_or_404(
        Resource.objects.select_related("task__objective__phase"), process=process, pk=resource_id
    )
    may_edit = access.can_edit_task(item.task)
    form = None
    if item.kind != ResourceKind.LINK:
        form = VersionForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            staff=access.is_staff,
        )
    if request.method == "POST":
        if not may_edit or form is None:
            return forbidden(request, process, access)
        if form.is_valid():
            version = service.add_version(
                item, form.cleaned_data["file"], request.user, form.cleaned_data["note"]
            )
            messages.success(
                request, _("Version %(number)s was added.") % {"number": version.number}
            )
            return redirect("interlink_workspace:resource", process.pk, item.pk)
    return page(
        request,
        "interlink_workspace/resource.html",
        process,
        access,
        {
            "resource": item,
            "task": item.task,
            "versions": item.versions.select_related("uploaded_by"),
            "form": form,
            "may_edit": may_edit,
        },
        [form],
    )


@workspace_view("view")
def download(request, process, access, resource_id, number):
    """A version as an attachment: never rendered by the browser (no HTML, no SVG inline),
    with a sandboxing CSP in case a browser tried."""
    item = get_object_or_404(Resource, process=process, pk=resource_id)
    version = get_object_or_404(item.versions, number=number)
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
