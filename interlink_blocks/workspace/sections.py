"""What the workspace adds to other pages, through hooks: the call page's plan (live progress
when the call has a process), the account page's list of teams, a person's data."""

from django.template.loader import render_to_string

from .models import Membership, NotifyKind, Process
from .queries import public_progress
from .services import notify


def process_id_of(page) -> int | None:
    return Process.objects.filter(call_id=page.pk).values_list("pk", flat=True).first()


def call_plan(request, page):
    """The call page's plan section from the process's rows (one query), or ``None`` when
    the call has no process, so the schema block's timeline shows as before."""
    if page.pk is None:
        return None
    progress = public_progress(page)
    if progress is None:
        return None
    membership = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        membership = Membership.objects.filter(process=progress.process, user=user).first()
    return render_to_string(
        "interlink_workspace/call_progress.html",
        {"call": page, "progress": progress, "membership": membership, "request": request},
    )


def account_teams(request) -> str:
    memberships = Membership.objects.filter(user=request.user).select_related("process__call")
    return render_to_string(
        "interlink_workspace/account_teams.html", {"memberships": memberships, "request": request}
    )


def personal_data(participant) -> dict:
    if participant.user_id is None:
        return {}
    memberships = Membership.objects.filter(user=participant.user_id).select_related(
        "process__call"
    )
    return {
        "workspace_memberships": [
            {
                "call": m.process.call.title,
                "role": m.role,
                "team_role": m.team_role,
                "name_shown": m.name,
                "joined_at": m.joined_at.isoformat(),
                "tasks_assigned": list(m.tasks.values_list("title", flat=True)),
                "on_leaderboard": m.on_leaderboard,
                "claims": [
                    {
                        "task": c.task.title,
                        "kind": c.kind,
                        "note": c.note,
                        "state": c.state,
                        "points": c.points,
                    }
                    for c in m.claims.select_related("task")
                ],
                "messages": [
                    {
                        "task": message.task.title,
                        "text": message.body,
                        "state": message.state,
                        "written_at": message.created_at.isoformat(),
                    }
                    for message in m.messages.select_related("task")
                ],
                "notifications": {
                    kind: notify.settings_of(m).mode(kind) for kind in NotifyKind.values
                },
            }
            for m in memberships
        ]
    }
