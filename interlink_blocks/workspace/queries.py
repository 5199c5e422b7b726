"""Reading a process's plan and progress in a fixed number of queries, whatever its size.

``plan_tree`` reads phases, objectives, tasks and assignments in five queries and builds the
tree in Python; progress figures are counted from it, or, where a page needs only the
figures (the overview, the call page), from one aggregate query (``phase_progress``,
``public_progress``) instead of 200 tasks turned into objects.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from .models import Membership, Objective, Process, ProcessPhase, Task, WorkStatus


@dataclass
class PhaseNode:
    phase: ProcessPhase
    objectives: list = field(default_factory=list)
    form: object = None  # the plan page's "add an objective" form
    total: int = 0
    done: int = 0
    in_progress: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class ObjectiveNode:
    objective: Objective
    tasks: list = field(default_factory=list)


TIMELINE_FIELDS = ("process", "objective", "title", "status", "start_date", "end_date", "position")


def plan_tree(process: Process, assignees: bool = True) -> list[PhaseNode]:
    """The plan as phase → objective → task nodes. Without ``assignees`` (the workplan) the
    membership and assignment queries are skipped and tasks carry no ``assigned``."""
    phases = {p.pk: PhaseNode(p) for p in ProcessPhase.objects.filter(process=process)}
    objectives = {}
    for objective in Objective.objects.filter(process=process):
        node = ObjectiveNode(objective)
        objectives[objective.pk] = node
        phases[objective.phase_id].objectives.append(node)
    tasks = Task.objects.filter(process=process)
    if not assignees:  # the workplan: what a bar shows, not 200 descriptions
        tasks = tasks.only(*TIMELINE_FIELDS)
    assignments = _assignments(process) if assignees else None
    for task in tasks:
        objective_node = objectives[task.objective_id]
        # Read by templates and views: who does it, and its phase without another query.
        if assignments is not None:
            setattr(task, "assigned", assignments.get(task.pk, []))  # noqa: B010
        setattr(task, "phase", phases[objective_node.objective.phase_id].phase)  # noqa: B010
        objective_node.tasks.append(task)
        phase_node = phases[objective_node.objective.phase_id]
        if task.status != WorkStatus.DROPPED:
            phase_node.total += 1
            phase_node.done += task.status == WorkStatus.DONE
            phase_node.in_progress += task.status == WorkStatus.IN_PROGRESS
    return list(phases.values())


def _assignments(process: Process) -> dict[int, list[Membership]]:
    """Task id → its assigned members, read through the join table in one query."""
    through = Task.assignees.through
    members = {m.pk: m for m in Membership.objects.filter(process=process)}
    result: dict[int, list[Membership]] = {}
    for task_id, membership_id in through.objects.filter(task__process=process).values_list(
        "task_id", "membership_id"
    ):
        result.setdefault(task_id, []).append(members[membership_id])
    return result


def phase_progress(process: Process) -> list[PhaseNode]:
    """Each phase's task figures (``PhaseNode`` without objectives), in one aggregate query."""
    tasks = "objectives__tasks__status"
    rows = (
        ProcessPhase.objects.filter(process=process)
        .annotate(
            total_tasks=Count("objectives__tasks", filter=~Q(**{tasks: WorkStatus.DROPPED})),
            done_tasks=Count("objectives__tasks", filter=Q(**{tasks: WorkStatus.DONE})),
            active_tasks=Count("objectives__tasks", filter=Q(**{tasks: WorkStatus.IN_PROGRESS})),
        )
        .order_by("position", "pk")
    )
    return [
        PhaseNode(row, total=row.total_tasks, done=row.done_tasks, in_progress=row.active_tasks)
        for row in rows
    ]


def tasks_of(membership: Membership) -> list[Task]:
    """The tasks assigned to a member, in plan order (phase, objective, task)."""
    return list(
        Task.objects.filter(assignees=membership).order_by(
            "objective__phase__position",
            "objective__phase__pk",
            "objective__position",
            "objective__pk",
            "position",
            "pk",
        )
    )


def all_tasks(tree: list[PhaseNode]) -> list[Task]:
    return [task for phase in tree for objective in phase.objectives for task in objective.tasks]


@dataclass
class PublicProgress:
    process: Process
    phases: list
    total: int
    done: int
    updated_at: object


def public_progress(call) -> PublicProgress | None:
    """What anyone may see of a call's process: tasks done of total per phase, and the last
    update. One query (phases with their counts, the process joined)."""
    rows = list(
        ProcessPhase.objects.filter(process__call=call)
        .select_related("process")
        .annotate(
            total=Count(
                "objectives__tasks", filter=~Q(objectives__tasks__status=WorkStatus.DROPPED)
            ),
            done=Count("objectives__tasks", filter=Q(objectives__tasks__status=WorkStatus.DONE)),
            last=Max("objectives__tasks__updated_at"),
        )
        .order_by("position", "pk")
    )
    if not rows:
        return None
    process = rows[0].process
    return PublicProgress(
        process=process,
        phases=rows,
        total=sum(r.total for r in rows),
        done=sum(r.done for r in rows),
        updated_at=process.updated_at,
    )
