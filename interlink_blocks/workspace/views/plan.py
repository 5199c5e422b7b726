"""The plan: phases → objectives → tasks. Members update tasks; process admins change the plan."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import (
    NewTaskForm,
    ObjectiveForm,
    PhaseRestrictionForm,
    TaskDetailsForm,
    TaskProgressForm,
)
from ..models import Objective, ProcessPhase, Task
from ..queries import plan_tree
from ..services import tree
from .common import page, workspace_view


def plan_url(process, anchor: str = "") -> str:
    from django.urls import reverse

    url = reverse("interlink_workspace:plan", args=[process.pk])
    return f"{url}#{anchor}" if anchor else url


@workspace_view("view", post_needs="manage")
def plan(request, process, access):
    """The whole plan; admins add objectives to a phase from here (POST ``phase``)."""
    form = None
    if request.method == "POST":
        phase = get_object_or_404(ProcessPhase, process=process, pk=request.POST.get("phase") or 0)
        form = ObjectiveForm(request.POST, prefix=f"phase-{phase.pk}")
        if form.is_valid():
            objective = tree.add_objective(
                phase, form.cleaned_data["title"], form.cleaned_data["description"], request.user
            )
            messages.success(request, _("The objective was added."))
            return redirect(plan_url(process, f"objective-{objective.pk}"))
    phases = plan_tree(process)
    for node in phases:
        node.form = (
            form
            if form is not None and form.prefix == f"phase-{node.phase.pk}"
            else ObjectiveForm(prefix=f"phase-{node.phase.pk}")
        )
    return page(
        request,
        "interlink_workspace/plan.html",
        process,
        access,
        {"phases": phases, "form": form},
        [form],
    )


@workspace_view("manage")
def objective(request, process, access, objective_id):
    """Rename or describe an objective, add a task to it (admins)."""
    item = get_object_or_404(
        Objective.objects.select_related("phase"), process=process, pk=objective_id
    )
    form = ObjectiveForm(
        request.POST if request.POST.get("action") == "change" else None,
        initial={"title": item.title, "description": item.description},
    )
    task_form = NewTaskForm(request.POST if request.POST.get("action") == "add_task" else None)
    if form.is_bound and form.is_valid():
        tree.change_objective(
            item, form.cleaned_data["title"], form.cleaned_data["description"], request.user
        )
        messages.success(request, _("The objective was saved."))
        return redirect(plan_url(process, f"objective-{item.pk}"))
    if task_form.is_bound and task_form.is_valid():
        task = tree.add_task(item, task_form.cleaned_data["title"], request.user)
        messages.success(request, _("The task was added."))
        return redirect("interlink_workspace:task", process.pk, task.pk)
    return page(
        request,
        "interlink_workspace/objective.html",
        process,
        access,
        {"objective": item, "form": form, "task_form": task_form},
        [form, task_form],
    )


def _model(kind: str):
    if kind not in ("task", "objective"):
        raise Http404
    return Task if kind == "task" else Objective


@workspace_view("manage")
@require_POST
def move(request, process, access, kind, item_id):
    item = get_object_or_404(_model(kind), process=process, pk=item_id)
    direction = -1 if request.POST.get("direction") == "up" else 1
    if not tree.move(item, direction, request.user):
        messages.info(request, _("It is already at that end."))
    return redirect(plan_url(process, f"{kind}-{item.pk}"))


@workspace_view("manage")
@require_POST
def remove(request, process, access, kind, item_id):
    item = get_object_or_404(_model(kind), process=process, pk=item_id)
    if kind == "task":
        tree.remove_task(item, request.user)
        messages.success(request, _("The task was removed."))
    else:
        tree.remove_objective(item, request.user)
        messages.success(request, _("The objective and its tasks were removed."))
    return redirect(plan_url(process))


@workspace_view("view", post_needs="contribute")
def task(request, process, access, task_id):
    """A task: members update its progress (where their team role may); admins its details."""
    item = get_object_or_404(
        Task.objects.select_related("objective__phase"), process=process, pk=task_id
    )
    may_edit = access.can_edit_task(item)
    action = request.POST.get("action")
    progress = TaskProgressForm(
        request.POST if action == "progress" else None,
        process=process,
        initial={
            "status": item.status,
            "start_date": item.start_date,
            "end_date": item.end_date,
            "assignees": list(item.assignees.all()),
        },
    )
    details = TaskDetailsForm(
        request.POST if action == "details" else None,
        initial={
            "title": item.title,
            "description": item.description,
            "editable_by": item.editable_by,
        },
    )
    if request.method == "POST":
        if (action == "progress" and not may_edit) or (
            action == "details" and not access.can_manage
        ):
            from .common import forbidden

            return forbidden(request, process, access)
        if progress.is_bound and progress.is_valid():
            data = progress.cleaned_data
            changed = tree.update_task(
                item,
                request.user,
                status=data["status"],
                start_date=data["start_date"],
                end_date=data["end_date"],
            )
            changed = tree.assign(item, list(data["assignees"]), request.user) or changed
            messages.success(
                request, _("The task was updated.") if changed else _("Nothing changed.")
            )
            return redirect("interlink_workspace:task", process.pk, item.pk)
        if details.is_bound and details.is_valid():
            data = details.cleaned_data
            tree.update_task(
                item,
                request.user,
                title=data["title"],
                description=data["description"],
                editable_by=list(data["editable_by"]),
            )
            messages.success(request, _("The task was saved."))
            return redirect("interlink_workspace:task", process.pk, item.pk)
    return page(
        request,
        "interlink_workspace/task.html",
        process,
        access,
        {
            "task": item,
            "may_edit": may_edit,
            "progress_form": progress,
            "details_form": details,
            "assigned": list(item.assignees.all()),
            "resources": list(item.resources.all()),
            "message_count": item.messages.filter(state="visible").count(),
            "log": _log(process, item),
        },
        [progress, details],
    )


def _log(process, task) -> list:
    from ..services.log import label_actors

    entries = list(task.activities.select_related("actor")[:20])
    label_actors(process, entries)
    return entries


@workspace_view("manage")
def phase(request, process, access, phase_id):
    """Who may update a phase's tasks (admins)."""
    item = get_object_or_404(ProcessPhase, process=process, pk=phase_id)
    form = PhaseRestrictionForm(
        request.POST if request.method == "POST" else None,
        initial={"editable_by": item.editable_by},
    )
    if form.is_bound and form.is_valid():
        tree.restrict_phase(item, list(form.cleaned_data["editable_by"]), request.user)
        messages.success(request, _("Saved."))
        return redirect(plan_url(process, f"phase-{item.pk}"))
    return page(
        request,
        "interlink_workspace/phase.html",
        process,
        access,
        {"phase": item, "form": form},
        [form],
    )
