"""Opening a process from its call's schema, and changing its plan.

Every change goes through here, so it is logged with who made it. Permissions are the
caller's business (``access``): these functions trust their caller.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation

from interlink_blocks.blocks.schema import default_schema, plan_text
from interlink_blocks.choices import Phase

from ..models import NotifyKind, Objective, Process, ProcessPhase, Task, Verb, WorkStatus
from . import notify
from .log import record

logger = logging.getLogger(__name__)


def open_process(call, by=None, *, default_plan: bool = False) -> Process:
    """The call's process, opened now from its schema if it has none (idempotent).
    ``default_plan``: INTERLINK's default plan for a call whose editor wrote none, when the
    one who opens it chooses so; otherwise such a process starts with four empty phases."""
    existing = Process.objects.filter(call=call).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            process = Process.objects.create(call=call, opened_by=by)
            with translation.override(call.locale.language_code):
                _copy_schema(
                    process, _schema_of(call) or (default_schema() if default_plan else [])
                )
            record(process, by, Verb.OPENED, subject=call.title)
    except IntegrityError:
        # Opened at the same moment elsewhere (staff and an accepted member, say).
        return Process.objects.get(call=call)
    logger.info("Workspace: process %s opened for call %s", process.pk, call.pk)
    return process


def _schema_of(call) -> list[dict]:
    """The call's schema as plain data. INTERLINK's default is there only if the editor
    chose it (``CallPageForm``): it is never added behind their back."""
    raw = list(call.coproduction_schema.raw_data) if call.coproduction_schema else []
    return [block for block in raw if block.get("type") == "phase"]


def has_plan(call) -> bool:
    """Whether the call's editor wrote (or chose) a plan for its process to start from."""
    return bool(_schema_of(call))


def _copy_schema(process: Process, schema: list[dict]) -> None:
    """Phase rows for all four phases (in the schema's order, missing ones after), then the
    objectives and tasks. Default titles are stored in the call's language."""
    values = [block.get("value") or {} for block in schema]
    kinds = [str(v.get("phase")) for v in values if v.get("phase") in Phase.values]
    kinds = list(dict.fromkeys(kinds + [p for p in Phase.values if p not in kinds]))
    phases = {
        kind: ProcessPhase.objects.create(process=process, kind=kind, position=i)
        for i, kind in enumerate(kinds)
    }
    objective_position = 0
    for value in values:
        phase = phases.get(str(value.get("phase")))
        if phase is None:
            continue
        for objective_value in value.get("objectives") or []:
            objective = Objective.objects.create(
                process=process,
                phase=phase,
                title=str(plan_text(objective_value.get("title") or ""))[:200] or "—",
                description=objective_value.get("description") or "",
                position=objective_position,
            )
            objective_position += 1
            Task.objects.bulk_create(
                Task(
                    process=process,
                    objective=objective,
                    title=str(plan_text(task.get("title") or ""))[:200] or "—",
                    start_date=_date(task.get("start_date")),
                    end_date=_date(task.get("end_date")),
                    status=task.get("status")
                    if task.get("status") in WorkStatus.values
                    else WorkStatus.PLANNED,
                    position=position,
                )
                for position, task in enumerate(objective_value.get("tasks") or [])
            )


def _date(value):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _next_position(queryset) -> int:
    top = queryset.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def add_objective(phase: ProcessPhase, title: str, description: str, by) -> Objective:
    objective = Objective.objects.create(
        process=phase.process,
        phase=phase,
        title=title,
        description=description,
        position=_next_position(Objective.objects.filter(phase=phase)),
    )
    record(phase.process, by, Verb.OBJECTIVE_ADDED, subject=title)
    return objective


@transaction.atomic
def change_objective(objective: Objective, title: str, description: str, by) -> None:
    old = objective.title
    objective.title, objective.description = title, description
    objective.save(update_fields=["title", "description"])
    data = {"title": [old, title]} if old != title else {}
    record(objective.process, by, Verb.OBJECTIVE_CHANGED, subject=title, **data)


@transaction.atomic
def remove_objective(objective: Objective, by) -> None:
    record(objective.process, by, Verb.OBJECTIVE_REMOVED, subject=objective.title)
    objective.delete()


@transaction.atomic
def add_task(objective: Objective, title: str, by, **fields) -> Task:
    task = Task.objects.create(
        process=objective.process,
        objective=objective,
        title=title,
        position=_next_position(Task.objects.filter(objective=objective)),
        **fields,
    )
    record(objective.process, by, Verb.TASK_ADDED, task=task, subject=title)
    return task


@transaction.atomic
def remove_task(task: Task, by) -> None:
    record(task.process, by, Verb.TASK_REMOVED, subject=task.title)
    task.delete()


@transaction.atomic
def move(item, direction: int, by) -> bool:
    """Swaps an objective (within its phase) or a task (within its objective) with its
    neighbour above (``-1``) or below (``+1``); False at either end."""
    ordered: list
    if isinstance(item, Task):
        ordered = list(
            Task.objects.filter(objective=item.objective_id)
            .select_for_update()
            .order_by("position", "pk")
        )
        verb = Verb.TASK_MOVED
    else:
        ordered = list(
            Objective.objects.filter(phase=item.phase_id)
            .select_for_update()
            .order_by("position", "pk")
        )
        verb = Verb.OBJECTIVE_MOVED
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == item.pk)
    other = index + direction
    if not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, sibling in enumerate(ordered):
        sibling.position = position
    type(item).objects.bulk_update(ordered, ["position"])
    record(
        item.process, by, verb, task=item if isinstance(item, Task) else None, subject=item.title
    )
    return True


@transaction.atomic
def update_task(task: Task, by, **changes) -> bool:
    """Applies changed fields (title, description, dates, status, editable_by) and logs them
    in one entry; False when nothing changed."""
    from django.utils import timezone

    data: dict = {}
    for field, value in changes.items():
        old = getattr(task, field)
        if old == value:
            continue
        setattr(task, field, value)
        if field == "status":
            data["status"] = [old, value]
        elif field == "title":
            data["title"] = [old, value]
        elif field in ("start_date", "end_date"):
            data["dates"] = [
                task.start_date.isoformat() if task.start_date else None,
                task.end_date.isoformat() if task.end_date else None,
            ]
        elif field == "editable_by":
            data["editable_by"] = list(value)
        else:
            data[field] = True
    if not data:
        return False
    task.updated_at = timezone.now()
    task.save()
    verb = Verb.RESTRICTED if set(data) == {"editable_by"} else Verb.TASK_CHANGED
    entry = record(task.process, by, verb, task=task, subject=task.title, **data)
    if "status" in data:
        assigned = task.assignees.select_related("user", "process__call")
        notify.notify(assigned, NotifyKind.STATUS, actor=by, activity=entry)
    return True


@transaction.atomic
def assign(task: Task, memberships, by) -> bool:
    """Sets who is assigned to the task; False when unchanged."""
    new = {m.pk for m in memberships}
    old = set(task.assignees.values_list("pk", flat=True))
    if new == old:
        return False
    task.assignees.set(memberships)
    names = sorted(m.name for m in memberships)
    entry = record(
        task.process, by, Verb.TASK_ASSIGNED, task=task, subject=task.title, assignees=names
    )
    added = [m for m in memberships if m.pk not in old]
    notify.notify(added, NotifyKind.ASSIGNMENT, actor=by, activity=entry)
    return True


@transaction.atomic
def restrict_phase(phase: ProcessPhase, roles: list[str], by) -> None:
    phase.editable_by = list(roles)
    phase.save(update_fields=["editable_by"])
    record(
        phase.process, by, Verb.RESTRICTED, subject=str(phase.get_kind_display()), editable_by=roles
    )
