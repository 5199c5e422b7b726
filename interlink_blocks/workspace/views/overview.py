"""The overview (progress per phase, one's own tasks, what changed since the last visit) and
the activity log."""

import datetime

from django.core.paginator import Paginator
from django.utils import timezone

from .. import timeline
from .. import workplan as workplan_cells
from ..models import Activity, Membership
from ..queries import all_tasks, phase_progress, plan_tree, tasks_of
from ..services.log import label_actors
from .common import page, workspace_view

CHANGES_SHOWN = 15
REVISIT = datetime.timedelta(minutes=1)


@workspace_view("view")
def overview(request, process, access):
    # Figures per phase and one's own tasks: two queries, not the whole plan as objects.
    phases = phase_progress(process)
    since = access.membership.last_seen_at if access.membership else None
    recent = Activity.objects.filter(process=process).select_related("actor")
    if since is not None:
        recent = recent.filter(created_at__gt=since)
    changes = list(recent[:CHANGES_SHOWN])
    label_actors(process, changes)
    mine = []
    if access.membership:
        mine = tasks_of(access.membership)
        now = timezone.now()
        # The visit moves "since" on, except a reload within a minute that found nothing new:
        # moving it would change nothing shown, and this one-row write on every view cost a
        # quarter of the page's throughput (bench/workspace.py).
        if changes or since is None or now - since >= REVISIT:
            Membership.objects.filter(pk=access.membership.pk).update(last_seen_at=now)
    total = sum(p.total for p in phases)
    done = sum(p.done for p in phases)
    return page(
        request,
        "interlink_workspace/overview.html",
        process,
        access,
        {
            "phases": phases,
            "total": total,
            "done": done,
            "percent": round(100 * done / total) if total else 0,
            "since": since,
            "changes": changes,
            "my_tasks": mine,
            "member_count": process.memberships.count(),
            # Staff close the loop in the admin once every Sustain task is done.
            "sustain_done": any(
                p.phase.kind == "sustain" and p.total and p.done == p.total for p in phases
            ),
        },
    )


@workspace_view("view")
def activity(request, process, access):
    entries = Activity.objects.filter(process=process).select_related("actor", "task")
    paginator = Paginator(entries, 50)
    page_obj = paginator.get_page(request.GET.get("page"))
    label_actors(process, page_obj.object_list)
    return page(
        request, "interlink_workspace/activity.html", process, access, {"page_obj": page_obj}
    )


@workspace_view("view")
def workplan(request, process, access):
    """The tasks over time: a server-rendered timeline that works without JavaScript and
    prints. One set of month columns for the whole plan, one table per phase."""
    phases = plan_tree(process, assignees=False)
    span = timeline.month_span(all_tasks(phases))
    html = workplan_cells.Renderer(process)
    sections = []
    for node in phases:
        tasks = [task for objective in node.objectives for task in objective.tasks]
        placed, unscheduled = timeline.rows(tasks, span)
        sections.append(
            {
                "node": node,
                "rows": html.rows(placed),
                "unscheduled": html.links(unscheduled),
            }
        )
    months = timeline.months(span, timezone.localdate())
    return page(
        request,
        "interlink_workspace/workplan.html",
        process,
        access,
        {"sections": sections, "months": months, "month_cells": workplan_cells.month_cells(months)},
    )
